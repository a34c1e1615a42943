package browser

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// loginApp is a tiny authorization server with a real HTML login form, a
// consent page and the error behaviours the state machine must handle.
//
// /authorize takes redirect_uri, state and mode:
//
//	mode=error       400 HTML page before any login
//	mode=empty400    400 with an empty body before any login
//	mode=early       immediate redirect with error=invalid_request
//	mode=late-error  after login and consent: redirect with error=invalid_grant
//	mode=late-page   after login and consent: 400 HTML page
//	mode=stuck       a 200 page with none of the known selectors
//	(none)           login if no session, consent once per session, then a code
type loginApp struct {
	srv      *httptest.Server
	password string
	jsForm   bool // the form is inserted by a script after 200 ms
	consent  bool // ask for consent once per session

	mu           sync.Mutex
	sessions     map[string]bool // session id → consented
	loginPosts   int
	consentPosts int
	callbackHits int
	codes        int
	stuckHits    int
}

const (
	testUser     = "alice"
	testPassword = "s3cret-Passw0rd"
)

func newLoginApp(t *testing.T) *loginApp {
	t.Helper()
	a := &loginApp{password: testPassword, sessions: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", a.authorize)
	mux.HandleFunc("/login", a.login)
	mux.HandleFunc("/consent", a.consentPage)
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.callbackHits++
		a.mu.Unlock()
		fmt.Fprint(w, "callback")
	})
	a.srv = httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(a.srv.Close)
	return a
}

// authURL builds an authorization URL for the app.
func (a *loginApp) authURL(redirectURI, state, mode string) string {
	q := url.Values{"client_id": {"app"}, "redirect_uri": {redirectURI}, "state": {state}, "response_type": {"code"}}
	if mode != "" {
		q.Set("mode", mode)
	}
	return a.srv.URL + "/authorize?" + q.Encode()
}

func (a *loginApp) count(f func() int) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return f()
}

func (a *loginApp) session(r *http.Request) (id string, consented, ok bool) {
	c, err := r.Cookie("sid")
	if err != nil {
		return "", false, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	consented, ok = a.sessions[c.Value]
	return c.Value, consented, ok
}

func redirectTo(w http.ResponseWriter, r *http.Request, base string, params url.Values) {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	http.Redirect(w, r, base+sep+params.Encode(), http.StatusFound)
}

func (a *loginApp) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirectURI, state, mode := q.Get("redirect_uri"), q.Get("state"), q.Get("mode")
	switch mode {
	case "error":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<!doctype html><title>Error</title><h1>invalid_request</h1><p>code_challenge is required for public clients</p>`)
		return
	case "empty400":
		w.WriteHeader(http.StatusBadRequest)
		return
	case "early":
		redirectTo(w, r, redirectURI, url.Values{"error": {"invalid_request"}, "error_description": {"code_challenge required"}, "state": {state}})
		return
	case "stuck":
		a.mu.Lock()
		a.stuckHits++
		a.mu.Unlock()
		fmt.Fprint(w, `<!doctype html><title>Hmm</title><p>Nothing to see here.</p>`)
		return
	}
	_, consented, ok := a.session(r)
	if !ok {
		http.Redirect(w, r, "/login?return="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
		return
	}
	if a.consent && !consented {
		http.Redirect(w, r, "/consent?return="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
		return
	}
	switch mode {
	case "late-error":
		redirectTo(w, r, redirectURI, url.Values{"error": {"invalid_grant"}, "state": {state}})
		return
	case "late-page":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<!doctype html><h1>invalid_request</h1><p>checked after login</p>`)
		return
	}
	a.mu.Lock()
	a.codes++
	code := fmt.Sprintf("code-%d", a.codes)
	a.mu.Unlock()
	redirectTo(w, r, redirectURI, url.Values{"code": {code}, "state": {state}})
}

// safeReturn keeps redirects on this app's /authorize.
func safeReturn(v string) string {
	if strings.HasPrefix(v, "/authorize?") {
		return v
	}
	return "/authorize"
}

const loginFormHTML = `<form method="post" action="/login">
<input type="hidden" name="return" value="%s">
<label>User <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="signin" type="submit">Sign in</button>
</form>`

func (a *loginApp) login(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		a.loginPosts++
		a.mu.Unlock()
		if r.PostForm.Get("username") == testUser && r.PostForm.Get("password") == a.password {
			id := fmt.Sprintf("s%d", a.count(func() int { return a.loginPosts }))
			a.mu.Lock()
			a.sessions[id] = false
			a.mu.Unlock()
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: id, Path: "/", HttpOnly: true})
			http.Redirect(w, r, safeReturn(r.PostForm.Get("return")), http.StatusSeeOther)
			return
		}
		a.renderLogin(w, r.PostForm.Get("return"), "Wrong username or password.")
		return
	}
	a.renderLogin(w, r.URL.Query().Get("return"), "")
}

func (a *loginApp) renderLogin(w http.ResponseWriter, ret, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	form := fmt.Sprintf(loginFormHTML, html.EscapeString(ret))
	var b strings.Builder
	b.WriteString(`<!doctype html><title>Sign in</title><h1>Sign in</h1>`)
	if msg != "" {
		b.WriteString(`<p class="error">` + msg + `</p>`)
	}
	if a.jsForm {
		b.WriteString(`<div id="slot"></div><script>setTimeout(() => { document.getElementById('slot').innerHTML = ` +
			jsString(form) + `; }, 200);</script>`)
	} else {
		b.WriteString(form)
	}
	fmt.Fprint(w, b.String())
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "$", `\$`)
	return "`" + r.Replace(s) + "`"
}

func (a *loginApp) consentPage(w http.ResponseWriter, r *http.Request) {
	id, _, ok := a.session(r)
	if !ok {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		a.sessions[id] = true
		a.consentPosts++
		a.mu.Unlock()
		http.Redirect(w, r, safeReturn(r.PostForm.Get("return")), http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><title>Consent</title><p>Allow app to access your account?</p>
<form method="post" action="/consent"><input type="hidden" name="return" value="%s">
<button id="deny" type="button">Deny</button> <button id="allow" type="submit">Allow</button></form>`,
		html.EscapeString(r.URL.Query().Get("return")))
}
