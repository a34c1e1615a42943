package httpauthz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/refidp"
)

const replayRedirect = "http://127.0.0.1:8765/callback"

// startRefidp starts the reference provider with cfg's options on
// 127.0.0.1 for the test.
func startRefidp(t *testing.T, cfg refidp.Config) *refidp.Server {
	t.Helper()
	cfg.Username, cfg.Password, cfg.ConfidentialSecret, cfg.RedirectURI = "alice", "correct-horse-battery", "conf-secret-1", replayRedirect
	s, err := refidp.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// replayAuthorizer is an Authorizer on the provider's profile whose
// browser has no session: every login the HTTP side needs, it replays.
func replayAuthorizer(t *testing.T, p *profiles.Profile, b *fakeBrowser, dir string) *Authorizer {
	t.Helper()
	hc := httpclient.New(httpclient.Options{AllowedHosts: p.ScopeHosts()})
	a, err := New(Options{
		HTTP: hc.HTTP(), Browser: b, Hosts: []string{p.Issuer},
		Login: p.Login.Steps, Consent: p.Login.Consent, ProfilePath: "refidp.yaml", ArtifactDir: dir,
		InScope: func(u *url.URL) error { return hc.CheckScope(u.String()) },
		Logf:    t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// validURL is a valid S256 authorization request for the public client.
func validURL(t *testing.T, p *profiles.Profile, extra ...string) string {
	t.Helper()
	pair, err := pkce.NewPair(43)
	if err != nil {
		t.Fatal(err)
	}
	c := p.Clients.Public
	req := authz.NewRequest(p.Issuer+"/authorize", c.ID, c.RedirectURI, c.Scopes, "st-1")
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	for i := 0; i+1 < len(extra); i += 2 {
		req.Params.Add(extra[i], extra[i+1])
	}
	return req.URL()
}

func TestReplayLoginAndConsent(t *testing.T) {
	for _, tt := range []struct {
		name       string
		cfg        refidp.Config
		wantLogins int // over 4 authorizations
	}{
		{"consent on every authorization", refidp.Config{ConsentEveryTime: true}, 1},
		{"two-step login, no session", refidp.Config{NoSession: true}, 4},
		{"two-step login and consent every time", refidp.Config{NoSession: true, ConsentEveryTime: true}, 4},
		{"consent remembered", refidp.Config{Consent: true}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startRefidp(t, tt.cfg)
			p := s.Profile()
			b := &fakeBrowser{err: errors.New("the browser must not be asked")}
			a := replayAuthorizer(t, p, b, t.TempDir())
			for i := 0; i < 4; i++ {
				r, err := a.Authorize(context.Background(), validURL(t, p), replayRedirect)
				if err != nil || r.Code == "" || r.State != "st-1" {
					t.Fatalf("authorization %d: got %+v, %v; want a code over HTTP", i+1, r, err)
				}
			}
			st := a.Stats()
			if st.HTTP != 4 || st.Browser != 0 || len(b.authorized) != 0 {
				t.Errorf("stats %+v, browser asked %d times; want all 4 over HTTP", st, len(b.authorized))
			}
			if st.Logins != tt.wantLogins || s.Stats().Logins != tt.wantLogins {
				t.Errorf("logins: ours %d, the server's %d; want %d", st.Logins, s.Stats().Logins, tt.wantLogins)
			}
		})
	}
}

func TestReplayWrongPasswordIsNotRetried(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  refidp.Config
	}{
		{"one-page login", refidp.Config{}},
		{"two-step login", refidp.Config{NoSession: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startRefidp(t, tt.cfg)
			p := s.Profile()
			for i, st := range p.Login.Steps {
				if st.Fill == refidp.PasswordSelector {
					p.Login.Steps[i].Value = "wrong-password-value"
				}
			}
			dir := t.TempDir()
			b := &fakeBrowser{err: errors.New("the browser must not be asked")}
			a := replayAuthorizer(t, p, b, dir)
			_, err := a.Authorize(context.Background(), validURL(t, p), replayRedirect)
			var le *browser.LoginError
			if !errors.As(err, &le) {
				t.Fatalf("got %v; want a *browser.LoginError", err)
			}
			if !strings.Contains(err.Error(), "not retried") || le.HTML == "" {
				t.Errorf("error %q (page %q); want 'not retried' and the page saved", err, le.HTML)
			}
			page, rerr := os.ReadFile(le.HTML)
			if rerr != nil || !strings.Contains(string(page), "Wrong username or password") || strings.Contains(string(page), "wrong-password-value") {
				t.Errorf("saved page: %v, %q; want the server's page without the typed password", rerr, page)
			}
			if _, err := a.Authorize(context.Background(), validURL(t, p), replayRedirect); !errors.As(err, &le) || !strings.Contains(err.Error(), "never retried") {
				t.Errorf("the next authorization: %v; want the login failure again, without a login", err)
			}
			if len(b.authorized) != 0 || a.Stats().Logins != 1 || s.Stats().Logins != 0 {
				t.Errorf("browser asked %d times, %d logins (server: %d); want 0, 1 and 0 (never retried)", len(b.authorized), a.Stats().Logins, s.Stats().Logins)
			}
		})
	}
}

// pageServer serves one fixed login page at /authorize and counts posts.
func pageServer(t *testing.T, body string) (*httptest.Server, *int) {
	t.Helper()
	posts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts++
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &posts
}

func TestReplayLeavesScriptsToTheBrowser(t *testing.T) {
	steps := []profiles.Step{{Fill: "#username", Value: "alice"}, {Fill: "#password", Value: "secret-pw"}, {Click: "#login"}}
	for _, tt := range []struct {
		name, page, reason string
	}{
		{"button without a form", `<input id="username"><input id="password"><button id="login" onclick="go()">Sign in</button>`, "in no <form>"},
		{"button type=button", `<form><input id="username"><input id="password"><button type="button" id="login">Sign in</button></form>`, "does not submit"},
		{"page built by a script", `<div id="app"></div><script src="/app.js"></script>`, "scripts"},
		{"field hidden until a script shows it", `<form><input id="username"><input id="password" style="display: none"><button id="login">Go</button></form>`, `"#password" matches nothing`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, posts := pageServer(t, tt.page)
			b := &fakeBrowser{answer: &authz.Response{Code: "from-browser"}}
			hc := httpclient.New(httpclient.Options{})
			var lines []string
			a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{srv.URL}, Login: steps,
				Logf: func(f string, args ...any) { lines = append(lines, fmt.Sprintf(f, args...)) }})
			if err != nil {
				t.Fatal(err)
			}
			r, err := a.Authorize(context.Background(), srv.URL+"/authorize?x=1", "http://127.0.0.1:1/cb")
			if err != nil || r.Code != "from-browser" {
				t.Fatalf("got %+v, %v; want the browser's answer", r, err)
			}
			if *posts != 0 {
				t.Errorf("%d posts; want none", *posts)
			}
			if st := a.Stats(); !strings.Contains(st.FirstBrowserReason, tt.reason) {
				t.Errorf("reason %q; want it to say %q", st.FirstBrowserReason, tt.reason)
			}
		})
	}
}

// TestReplaySkipsOptionalScriptSteps: an optional step whose button only
// a script handles (a cookie banner) is skipped over HTTP; the form is
// submitted without it.
func TestReplaySkipsOptionalScriptSteps(t *testing.T) {
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			_ = r.ParseForm()
			got = r.PostForm
			http.Redirect(w, r, "http://127.0.0.1:1/cb?code=c1&state=s", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<div id="banner"><button type="button" id="accept-cookies" onclick="hide()">OK</button></div>
<form method="post" action="/login"><input type="hidden" name="csrf" value="t1"><input id="username" name="u"><input id="password" name="p" type="password"><button id="login" name="go" value="1">Sign in</button></form>`)
	}))
	t.Cleanup(srv.Close)
	steps := []profiles.Step{{ClickIfPresent: "#accept-cookies"}, {Fill: "#username", Value: "alice"}, {Fill: "#password", Value: "secret-pw"}, {Click: "#login"}}
	hc := httpclient.New(httpclient.Options{})
	b := &fakeBrowser{err: errors.New("the browser must not be asked")}
	a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{srv.URL}, Login: steps})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Authorize(context.Background(), srv.URL+"/authorize", "http://127.0.0.1:1/cb")
	if err != nil || r.Code != "c1" {
		t.Fatalf("got %+v, %v; want the code over HTTP", r, err)
	}
	want := url.Values{"csrf": {"t1"}, "u": {"alice"}, "p": {"secret-pw"}, "go": {"1"}}
	if got.Encode() != want.Encode() {
		t.Errorf("posted %v; want %v", got, want)
	}
}

func TestReplayLoginOnAnotherHostNeedsScope(t *testing.T) {
	login, posts := pageServer(t, `<form method="post"><input id="username"><input id="password"><button id="login">Go</button></form>`)
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(login.URL, "127.0.0.1", "localhost", 1)+"/login", http.StatusFound)
	}))
	t.Cleanup(as.Close)
	steps := []profiles.Step{{Fill: "#username", Value: "alice"}, {Fill: "#password", Value: "secret-pw"}, {Click: "#login"}}
	hc := httpclient.New(httpclient.Options{AllowedHosts: []string{"127.0.0.1"}})
	b := &fakeBrowser{answer: &authz.Response{Code: "from-browser"}}
	a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{as.URL}, Login: steps,
		InScope: func(u *url.URL) error { return hc.CheckScope(u.String()) }})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Authorize(context.Background(), as.URL+"/authorize", "http://127.0.0.1:1/cb")
	if err != nil || r.Code != "from-browser" || *posts != 0 {
		t.Fatalf("got %+v, %v, %d posts; want the browser's answer and no post", r, err, *posts)
	}
	if reason := a.Stats().FirstBrowserReason; !strings.Contains(reason, "scope.hosts") || !strings.Contains(reason, "localhost") {
		t.Errorf("reason %q; want it to say to add localhost to scope.hosts", reason)
	}
}
