package browser

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// lookalike is a stand-in for a real identity provider: its pages copy the
// markup (ids, names, classes, button values) and the page sequence of the
// provider's hosted login, so that a shipped profile can be run against it
// on 127.0.0.1. Every authorization request is a transaction (tx) that
// walks through the provider's pages; the last page redirects to the
// client with a code and the state.
type lookalike struct {
	t   *testing.T
	srv *httptest.Server
	mux *http.ServeMux

	clientID, redirectURI string
	user, password        string
	totpSecret            string        // base32; "" = no second factor
	consent               bool          // ask for consent
	delay                 time.Duration // forms rendered by a script after this delay (0: in the HTML)

	mu     sync.Mutex
	txs    map[string]*idpTx
	events []string
	codes  int
}

// idpTx is one authorization request in flight.
type idpTx struct {
	id, redirectURI, state string
	user                   string // set once the identifier is known
	authenticated          bool
}

const (
	idpUser     = "pkcecheck@example.com"
	idpPassword = "Lookalike-Passw0rd-71c3"
	idpClientID = "pkce-public-4711"
	// idpRedirect is the shipped profiles' redirect URI; nothing listens
	// there: the browser catches the redirect.
	idpRedirect = "http://127.0.0.1:8765/callback"
	// idpTOTPSecret is base32 (as an authenticator app shows it).
	idpTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

func newLookalike(t *testing.T) *lookalike {
	t.Helper()
	l := &lookalike{t: t, mux: http.NewServeMux(), clientID: idpClientID, redirectURI: idpRedirect,
		user: idpUser, password: idpPassword, txs: map[string]*idpTx{}}
	l.srv = httptest.NewServer(l.mux) // 127.0.0.1
	t.Cleanup(l.srv.Close)
	return l
}

// record notes a step of the flow, for the test to compare.
func (l *lookalike) record(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf(format, args...))
}

func (l *lookalike) seen() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.events...)
}

// begin validates an authorization request (a valid S256 request for the
// public client) and opens a transaction; it answers 400 itself otherwise.
func (l *lookalike) begin(w http.ResponseWriter, r *http.Request) (*idpTx, bool) {
	q := r.URL.Query()
	switch {
	case q.Get("client_id") != l.clientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
	case q.Get("redirect_uri") != l.redirectURI:
		http.Error(w, "redirect_uri not registered", http.StatusBadRequest)
	case q.Get("response_type") != "code":
		http.Error(w, "unsupported response_type", http.StatusBadRequest)
	case q.Get("code_challenge_method") != pkce.MethodS256 || pkce.ValidateChallenge(q.Get("code_challenge"), pkce.MethodS256) != nil:
		http.Error(w, "a valid S256 code_challenge is required", http.StatusBadRequest)
	default:
		l.mu.Lock()
		defer l.mu.Unlock()
		tx := &idpTx{id: fmt.Sprintf("tx%d", len(l.txs)+1), redirectURI: q.Get("redirect_uri"), state: q.Get("state")}
		l.txs[tx.id] = tx
		l.events = append(l.events, "authorize")
		return tx, true
	}
	l.record("authorize rejected")
	return nil, false
}

// tx finds the transaction named by the parameter name of r.
func (l *lookalike) tx(w http.ResponseWriter, r *http.Request, name string) (*idpTx, bool) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	l.mu.Lock()
	tx := l.txs[r.Form.Get(name)]
	l.mu.Unlock()
	if tx == nil {
		http.Error(w, "unknown transaction", http.StatusBadRequest)
		return nil, false
	}
	return tx, true
}

// finish redirects to the client with a fresh code.
func (l *lookalike) finish(w http.ResponseWriter, r *http.Request, tx *idpTx) {
	l.mu.Lock()
	l.codes++
	code := fmt.Sprintf("lookalike-code-%d", l.codes)
	l.events = append(l.events, "code")
	l.mu.Unlock()
	http.Redirect(w, r, tx.redirectURI+"?"+url.Values{"code": {code}, "state": {tx.state}}.Encode(), http.StatusFound)
}

// checkTOTP accepts the code of the current or the previous 30 s step, as
// providers do for clock skew.
func (l *lookalike) checkTOTP(code string) bool {
	key, err := profiles.DecodeTOTPSecret(l.totpSecret)
	if err != nil {
		l.t.Errorf("lookalike TOTP secret: %v", err)
		return false
	}
	now := time.Now()
	for _, at := range []time.Time{now, now.Add(-profiles.TOTPPeriod)} {
		if want, _ := profiles.TOTP(key, at, 6); code == want {
			return true
		}
	}
	return false
}

// page writes an HTML page whose body (or, with a delay, the part of it in
// form) is rendered by a script after l.delay, as single-page login
// widgets do.
func (l *lookalike) page(w http.ResponseWriter, title, head, form string) {
	l.pageAfter(w, title, head, form, l.delay)
}

// pageAfter is page with the given delay.
func (l *lookalike) pageAfter(w http.ResponseWriter, title, head, form string, delay time.Duration) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	body := form
	if delay > 0 {
		body = fmt.Sprintf(`<div id="app-root"><p class="loading">Loading…</p></div>
<script>setTimeout(() => { document.getElementById('app-root').innerHTML = %s; }, %d);</script>`,
			jsString(form), delay.Milliseconds())
	}
	fmt.Fprintf(w, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>%s</head><body>%s</body></html>",
		html.EscapeString(title), head, body)
}

// esc escapes a value for an HTML attribute.
func esc(s string) string { return html.EscapeString(s) }

// ---- Keycloak ----------------------------------------------------------

// keycloakLookalike serves a realm "demo" at /realms/demo: the login page
// (theme "keycloak.v2"/"base" markup: form#kc-form-login, #username,
// #password, #kc-login name=login) at the authorization endpoint itself, the
// OTP page (form#kc-otp-login-form, #otp) when a TOTP secret is set, and the
// consent page (#kc-oauth, #kc-login name=accept, #kc-cancel).
func keycloakLookalike(t *testing.T, configure func(*lookalike)) *lookalike {
	l := newLookalike(t)
	l.clientID = "pkce-public" // the id keycloak.yaml uses
	if configure != nil {
		configure(l)
	}
	const base = "/realms/demo"
	l.mux.HandleFunc(base+"/protocol/openid-connect/auth", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.begin(w, r)
		if !ok {
			return
		}
		l.kcLogin(w, tx, "")
	})
	l.mux.HandleFunc(base+"/login-actions/authenticate", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "tx")
		if !ok {
			return
		}
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if r.PostForm.Get("username") != l.user || r.PostForm.Get("password") != l.password {
			l.record("password wrong")
			l.kcLogin(w, tx, "Invalid username or password.")
			return
		}
		l.record("password")
		tx.user = l.user
		if l.totpSecret != "" {
			l.page(w, "Sign in to demo", "", fmt.Sprintf(`<div id="kc-content"><form id="kc-otp-login-form" class="pf-v5-c-form" action="%s/login-actions/otp?tx=%s" method="post">
<div class="pf-v5-c-form__group"><label for="otp" class="pf-v5-c-form__label">One-time code</label>
<span class="pf-v5-c-form-control"><input id="otp" name="otp" value="" type="text" autocomplete="one-time-code" autofocus aria-invalid=""/></span></div>
<div class="pf-v5-c-form__group"><div class="pf-v5-c-form__actions"><button class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit">Sign In</button></div></div>
</form></div>`, base, esc(tx.id)))
			return
		}
		l.kcAfterLogin(w, r, tx)
	})
	l.mux.HandleFunc(base+"/login-actions/otp", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "tx")
		if !ok || r.Method != http.MethodPost || tx.user == "" {
			if ok {
				http.Error(w, "no login in progress", http.StatusBadRequest)
			}
			return
		}
		if !l.checkTOTP(r.PostForm.Get("otp")) {
			l.record("totp wrong")
			http.Error(w, "Invalid authenticator code.", http.StatusBadRequest)
			return
		}
		l.record("totp")
		l.kcAfterLogin(w, r, tx)
	})
	l.mux.HandleFunc(base+"/login-actions/consent", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "tx")
		if !ok || r.Method != http.MethodPost || !tx.authenticated {
			if ok {
				http.Error(w, "no login in progress", http.StatusBadRequest)
			}
			return
		}
		if _, accepted := r.PostForm["accept"]; !accepted { // the button has a name, no value
			l.record("consent without accept")
			http.Error(w, "consent denied", http.StatusBadRequest)
			return
		}
		l.record("consent")
		l.finish(w, r, tx)
	})
	return l
}

func (l *lookalike) kcLogin(w http.ResponseWriter, tx *idpTx, message string) {
	alert := ""
	if message != "" {
		alert = `<div class="pf-v5-c-alert pf-m-danger"><span class="kc-feedback-text">` + esc(message) + `</span></div>`
	}
	l.page(w, "Sign in to demo", "", fmt.Sprintf(`<div class="pf-v5-c-login"><h1 id="kc-page-title">Sign in to your account</h1>%s
<div id="kc-form"><div id="kc-form-wrapper">
<form id="kc-form-login" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;" action="/realms/demo/login-actions/authenticate?tx=%s" method="post" novalidate="novalidate">
<div class="pf-v5-c-form__group"><label for="username" class="pf-v5-c-form__label">Username or email</label>
<span class="pf-v5-c-form-control"><input id="username" name="username" value="" type="text" autocomplete="username" autofocus aria-invalid=""/></span></div>
<div class="pf-v5-c-form__group"><label for="password" class="pf-v5-c-form__label">Password</label>
<div class="pf-v5-c-input-group"><span class="pf-v5-c-form-control"><input id="password" name="password" value="" type="password" autocomplete="current-password" aria-invalid=""/></span>
<button class="pf-v5-c-button pf-m-control" type="button" aria-label="Show password" aria-controls="password" data-password-toggle id="password-show-password">👁</button></div>
<div class="pf-v5-c-check"><label for="rememberMe"><input type="checkbox" id="rememberMe" name="rememberMe"/> Remember me</label></div></div>
<input type="hidden" id="id-hidden-input" name="credentialId"/>
<div class="pf-v5-c-form__group"><div class="pf-v5-c-form__actions"><button class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit">Sign In</button></div></div>
</form></div></div></div>`, alert, esc(tx.id)))
}

// kcAfterLogin shows the consent page or redirects.
func (l *lookalike) kcAfterLogin(w http.ResponseWriter, r *http.Request, tx *idpTx) {
	tx.authenticated = true
	if !l.consent {
		l.finish(w, r, tx)
		return
	}
	l.page(w, "Grant access", "", fmt.Sprintf(`<div id="kc-oauth" class="content-area"><h3>Do you grant these access privileges?</h3>
<ul class="pf-v5-c-list"><li><span>User profile</span></li><li><span>Email address</span></li></ul>
<form class="pf-v5-c-form pf-v5-u-mt-md" action="/realms/demo/login-actions/consent?tx=%s" method="POST">
<input type="hidden" name="code" value="consent-%s">
<div class="pf-v5-c-form__group"><div class="pf-v5-c-form__actions">
<button class="pf-v5-c-button pf-m-primary" name="accept" id="kc-login" type="submit">Yes</button>
<button class="pf-v5-c-button pf-m-secondary" name="cancel" id="kc-cancel" type="submit">No</button>
</div></div></form></div>`, esc(tx.id), esc(tx.id)))
}

// ---- Okta --------------------------------------------------------------
//
// No Okta lookalike: the Okta tests (okta_widget_test.go) run the real
// Sign-In Widget 7.49.0, both generations, on the local Okta emulator
// e2e/providers/okta, which shows every screen the shipped profile meets.

// ---- Auth0 -------------------------------------------------------------

// auth0Lookalike serves an Auth0 tenant with New Universal Login. It stays
// a lookalike: New Universal Login's pages are rendered by Auth0's servers
// and published in no package, so they cannot run offline. Classic
// Universal Login, the real Lock 14.3.0 from npm, runs on the emulated
// tenant of e2e/providers/auth0 instead (cmd/pkcecheck TestRunAuth0).
//
// The New Universal Login lookalike:
// /authorize redirects to /u/login/identifier then /u/login/password
// (identifier first) or to /u/login (one page), then to /u/consent when
// consent is on; each form posts action=default (consent: action=accept).
func auth0Lookalike(t *testing.T, identifierFirst bool, configure func(*lookalike)) *lookalike {
	l := newLookalike(t)
	if configure != nil {
		configure(l)
	}
	const usernameField = `<div class="input-wrapper _input-wrapper"><div class="cd8fc3b9e text c3bdbea84" data-action-text="" data-alternate-action-text="">
<label class="c6d4f5a83 no-js" for="username">Email address</label>
<input class="input cc64c67b1" inputMode="email" name="username" id="username" type="text" value="" required autoComplete="username" autoCapitalize="none" spellCheck="false" autoFocus></div></div>`
	const passwordField = `<div class="input-wrapper _input-wrapper"><div class="cd8fc3b9e password c3bdbea84" data-action-text="" data-alternate-action-text="">
<label class="c6d4f5a83 no-js" for="password">Password</label>
<input class="input cc64c67b1" name="password" id="password" type="password" required autoComplete="current-password" autoCapitalize="none" spellCheck="false">
<button type="button" class="c9bbb5a45 ulp-button-icon _button-icon" data-action="toggle"><span class="screen-reader-only password-toggle-label" data-label="Show password">Show password</span></button></div></div>`
	form := func(w http.ResponseWriter, tx *idpTx, class, action, title, fields, buttonClass string) {
		l.page(w, title, "", fmt.Sprintf(`<main class="_widget login-id"><section class="c4bd94d54 _prompt-box-outer"><div class="c20be3c7b c83a6d6c2"><div class="ceeb8ba53">
<header class="c2d6a6f5f c4c0d5c8b"><h1 class="cf4f6c3a1">%s</h1><div class="ca4a0c0b7"><p class="c1f0d1cb1">Log in to pkcecheck to continue to pkcecheck-public.</p></div></header>
<div class="ca920f895 ca8471e59"><form method="POST" class="c210378a2 %s" data-form-primary="true" action="%s">
<input type="hidden" name="state" value="%s">%s
<div class="c9d1aeb31"><button type="submit" name="action" value="default" class="ce2ef3ad4 c6b1a3d17 %s" data-action-button-primary="true">Continue</button></div>
</form></div></div></div></section></main>`, esc(title), class, action, esc(tx.id), fields, buttonClass))
	}
	l.mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.begin(w, r)
		if !ok {
			return
		}
		next := "/u/login?state="
		if identifierFirst {
			next = "/u/login/identifier?state="
		}
		http.Redirect(w, r, next+url.QueryEscape(tx.id), http.StatusFound)
	})
	l.mux.HandleFunc("/u/login", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "state")
		if !ok {
			return
		}
		if r.Method == http.MethodPost {
			l.auth0Password(w, r, tx, r.PostForm.Get("username"))
			return
		}
		form(w, tx, "_form-login", "/u/login?state="+esc(tx.id), "Welcome", usernameField+passwordField, "_button-login")
	})
	l.mux.HandleFunc("/u/login/identifier", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "state")
		if !ok {
			return
		}
		if r.Method == http.MethodPost {
			if r.PostForm.Get("action") != "default" || r.PostForm.Get("username") != l.user {
				l.record("identifier wrong")
				http.Error(w, "wrong identifier", http.StatusBadRequest)
				return
			}
			l.record("identifier")
			tx.user = l.user
			http.Redirect(w, r, "/u/login/password?state="+url.QueryEscape(tx.id), http.StatusFound)
			return
		}
		form(w, tx, "_form-login-id", "/u/login/identifier?state="+esc(tx.id), "Welcome", usernameField, "_button-login-id")
	})
	l.mux.HandleFunc("/u/login/password", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "state")
		if !ok || tx.user == "" {
			if ok {
				http.Error(w, "no identifier", http.StatusBadRequest)
			}
			return
		}
		if r.Method == http.MethodPost {
			l.auth0Password(w, r, tx, tx.user)
			return
		}
		shown := `<div class="ulp-authenticator-selector"><span class="ulp-authenticator-selector-text" data-testid="email">` + esc(tx.user) + `</span>
<a class="ulp-authenticator-selector-link" href="/u/login/identifier?state=` + esc(tx.id) + `">Edit</a></div>
<input type="hidden" name="username" value="` + esc(tx.user) + `">`
		form(w, tx, "_form-login-password", "/u/login/password?state="+esc(tx.id), "Enter Your Password", shown+passwordField, "_button-login-password")
	})
	l.mux.HandleFunc("/u/consent", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "state")
		if !ok || !tx.authenticated {
			if ok {
				http.Error(w, "not logged in", http.StatusBadRequest)
			}
			return
		}
		if r.Method == http.MethodPost {
			if r.PostForm.Get("action") != "accept" {
				l.record("consent %s", r.PostForm.Get("action"))
				http.Error(w, "access denied", http.StatusBadRequest)
				return
			}
			l.record("consent")
			l.finish(w, r, tx)
			return
		}
		l.page(w, "Authorize Application", "", fmt.Sprintf(`<main class="_widget consent"><section class="c4bd94d54"><header><h1>Authorize App</h1>
<p>Hi %s, pkcecheck-public is requesting access to your pkcecheck account.</p></header>
<ul class="c1ef3ad7f"><li><span>Profile: access to your profile and email</span></li></ul>
<form method="POST" class="c210378a2 _form-consent" action="/u/consent?state=%s"><input type="hidden" name="state" value="%s">
<div class="c9d1aeb31"><button type="submit" name="action" value="deny" class="ce2ef3ad4 c0f1a2b3c">Decline</button>
<button type="submit" name="action" value="accept" class="ce2ef3ad4 c6b1a3d17" data-action-button-primary="true">Accept</button></div>
</form></section></main>`, esc(tx.user), esc(tx.id), esc(tx.id)))
	})
	return l
}

// auth0Password checks the password step and goes on to consent or the
// client.
func (l *lookalike) auth0Password(w http.ResponseWriter, r *http.Request, tx *idpTx, user string) {
	if r.PostForm.Get("action") != "default" || user != l.user || r.PostForm.Get("password") != l.password {
		l.record("password wrong")
		http.Error(w, "Wrong email or password", http.StatusBadRequest)
		return
	}
	l.record("password")
	tx.user, tx.authenticated = user, true
	if l.consent {
		http.Redirect(w, r, "/u/consent?state="+url.QueryEscape(tx.id), http.StatusFound)
		return
	}
	l.finish(w, r, tx)
}

// ---- embedded forms, pickers -------------------------------------------

// frameLookalike shows the login form inside an iframe of the page at
// /authorize; frameBase is where the iframe's document comes from (this
// server, or the same server under another host name, which Chromium runs
// out of process). The form posts to the top window (target=_top).
func frameLookalike(t *testing.T, frameBase func(*lookalike) string) *lookalike {
	l := newLookalike(t)
	l.mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.begin(w, r)
		if !ok {
			return
		}
		src := frameBase(l) + "/embedded/login?tx=" + url.QueryEscape(tx.id)
		l.page(w, "Sign in", "", fmt.Sprintf(`<h1>Example Corp</h1><p>Sign in below.</p>
<iframe id="login-frame" title="login" src="%s" style="width: 420px; height: 260px; border: 1px solid #ccc"></iframe>`, esc(src)))
	})
	l.mux.HandleFunc("/embedded/login", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "tx")
		if !ok {
			return
		}
		if r.Method == http.MethodPost {
			if r.PostForm.Get("user") != l.user || r.PostForm.Get("pass") != l.password {
				l.record("password wrong")
				http.Error(w, "wrong password", http.StatusBadRequest)
				return
			}
			l.record("password in frame")
			l.finish(w, r, tx)
			return
		}
		// The form appears after a script ran, inside the frame.
		l.pageAfter(w, "login", "", fmt.Sprintf(`<form method="post" target="_top" action="/embedded/login?tx=%s">
<label>Email <input id="user" name="user" autocomplete="username"></label>
<label>Password <input id="pass" name="pass" type="password"></label>
<button id="signin" type="submit">Sign in</button></form>`, esc(tx.id)), 250*time.Millisecond)
	})
	return l
}

// pickerLookalike has a plain login form, then a page with a cookie banner,
// a tenant <select> whose options a script fills in late, and an account
// list of buttons; the code is issued for the chosen account and tenant.
func pickerLookalike(t *testing.T) *lookalike {
	l := newLookalike(t)
	l.mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.begin(w, r)
		if !ok {
			return
		}
		l.page(w, "Sign in", "", fmt.Sprintf(`<form method="post" action="/login?tx=%s">
<input id="username" name="username"> <input id="password" name="password" type="password">
<button id="signin" type="submit">Sign in</button></form>`, esc(tx.id)))
	})
	l.mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "tx")
		if !ok || r.Method != http.MethodPost {
			return
		}
		if r.PostForm.Get("username") != l.user || r.PostForm.Get("password") != l.password {
			l.record("password wrong")
			http.Error(w, "wrong password", http.StatusBadRequest)
			return
		}
		l.record("password")
		tx.authenticated = true
		tenants, _ := json.Marshal([][2]string{{"", "Choose…"}, {"globex", "Globex"}, {"acme", "Acme Corp"}})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Choose an account</title>
<div id="cookie-banner" style="position: fixed; bottom: 0; left: 0; right: 0; background: #eee">We use cookies. <button id="accept-cookies" onclick="document.getElementById('cookie-banner').remove(); document.cookie = 'cookies=ok'">Accept all</button></div>
<form id="pick" method="post" action="/pick?tx=%s">
<label for="tenant">Organization</label> <select id="tenant" name="tenant"></select>
<input type="hidden" name="account" id="account">
<ul class="accounts">
<li><button type="submit" onclick="document.getElementById('account').value='bob'"><span class="name">Bob Builder</span> <span class="email">bob@example.com</span></button></li>
<li><button type="submit" onclick="document.getElementById('account').value='alice'"><span class="name">Alice Liddell</span> <span class="email">%s</span></button></li>
<li><button type="submit" onclick="document.getElementById('account').value='other'">Use another account</button></li>
</ul></form>
<script>setTimeout(() => { const s = document.getElementById('tenant');
  for (const [v, t] of %s) { const o = document.createElement('option'); o.value = v; o.textContent = t; s.appendChild(o); } }, 300);</script>`,
			esc(tx.id), esc(l.user), tenants)
	})
	l.mux.HandleFunc("/pick", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "tx")
		if !ok || r.Method != http.MethodPost || !tx.authenticated {
			return
		}
		cookies := "no"
		if c, err := r.Cookie("cookies"); err == nil {
			cookies = c.Value
		}
		l.record("picked %s in %s (cookies %s)", r.PostForm.Get("account"), r.PostForm.Get("tenant"), cookies)
		l.finish(w, r, tx)
	})
	return l
}
