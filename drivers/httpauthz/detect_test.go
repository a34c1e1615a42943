package httpauthz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// detectAuthorizer is an Authorizer with no login or consent steps: the
// account alone, typed on the profile's scope.
func detectAuthorizer(t *testing.T, p *profiles.Profile, password string, b *fakeBrowser, dir string) *Authorizer {
	t.Helper()
	hc := httpclient.New(httpclient.Options{AllowedHosts: p.ScopeHosts()})
	a, err := New(Options{
		HTTP: hc.HTTP(), Browser: b, Hosts: []string{p.Issuer}, ProfilePath: "refidp.yaml", ArtifactDir: dir,
		Detect: &browser.Detection{Username: "alice", Password: password,
			Allowed: func(u *url.URL) error { return hc.CheckScope(u.String()) }},
		InScope: func(u *url.URL) error { return hc.CheckScope(u.String()) },
		Logf:    t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDetectLoginAndConsent: the reference provider's login pages (one
// page, or user name then password), with consent remembered or asked on
// every authorization, are answered over HTTP from the account alone.
func TestDetectLoginAndConsent(t *testing.T) {
	for _, tt := range []struct {
		name       string
		cfg        refidp.Config
		wantLogins int // over 4 authorizations
	}{
		{"consent on every authorization", refidp.Config{ConsentEveryTime: true}, 1},
		{"two-step login, no session", refidp.Config{NoSession: true}, 4},
		{"two-step login and consent every time", refidp.Config{NoSession: true, ConsentEveryTime: true}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startRefidp(t, tt.cfg)
			p := s.Profile()
			b := &fakeBrowser{err: errors.New("the browser must not be asked")}
			a := detectAuthorizer(t, p, "correct-horse-battery", b, t.TempDir())
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
			used := a.UsedSteps()
			if len(used) == 0 {
				t.Fatal("no step recorded")
			}
			for _, u := range used {
				if !browser.IsDetected(u) || strings.Contains(u.Step+u.How, "correct-horse-battery") {
					t.Errorf("step %+v: want detected, without the password", u)
				}
			}
		})
	}
}

// TestDetectWrongPassword: the login page again with the server's own
// message after the password was submitted is a refused login: one
// attempt, the message quoted, never retried.
func TestDetectWrongPassword(t *testing.T) {
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
			b := &fakeBrowser{err: errors.New("the browser must not be asked")}
			a := detectAuthorizer(t, p, "wrong-password-value", b, t.TempDir())
			_, err := a.Authorize(context.Background(), validURL(t, p), replayRedirect)
			var le *browser.LoginError
			if !errors.As(err, &le) {
				t.Fatalf("got %v; want a *browser.LoginError", err)
			}
			if !strings.Contains(err.Error(), `login rejected`) || !strings.Contains(err.Error(), `"Wrong username or password."`) ||
				strings.Contains(err.Error(), "wrong-password-value") || le.Page == nil {
				t.Errorf("error %q (page read: %v); want the page's message quoted, never the password", err, le.Page != nil)
			}
			if _, err := a.Authorize(context.Background(), validURL(t, p), replayRedirect); !errors.As(err, &le) || !strings.Contains(err.Error(), "never retried") {
				t.Errorf("the next authorization: %v; want the login failure again, without a login", err)
			}
			if st := s.Stats(); st.LoginFailures != 1 || st.Logins != 0 || len(b.authorized) != 0 {
				t.Errorf("server saw %d failed and %d good logins, browser asked %d times; want exactly one attempt", st.LoginFailures, st.Logins, len(b.authorized))
			}
		})
	}
}

// TestDetectRefusesPageOutsideScope: credentials are typed only where the
// scope allows, checked before anything is sent. A login form reached over
// a redirect to another host name ("localhost") goes to the browser
// without a post (the browser refuses it in turn); a form on a host the
// HTTP side may request but detection's scope refuses stops the login
// with the host named and nothing posted.
func TestDetectRefusesPageOutsideScope(t *testing.T) {
	const form = `<html><body><form method="post"><label>User <input name="user" autocomplete="username"></label>
<label>Password <input name="pw" type="password" autocomplete="current-password"></label><button type="submit">Sign in</button></form></body></html>`
	login, posts := pageServer(t, form)
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(login.URL, "127.0.0.1", "localhost", 1)+"/login", http.StatusFound)
	}))
	t.Cleanup(as.Close)
	hc := httpclient.New(httpclient.Options{AllowedHosts: []string{"127.0.0.1"}})
	scope := func(u *url.URL) error { return hc.CheckScope(u.String()) }
	b := &fakeBrowser{answer: &authz.Response{Code: "from-browser"}}
	a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{as.URL}, InScope: scope,
		Detect: &browser.Detection{Username: "alice", Password: "secret-pw", Allowed: scope}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Authorize(context.Background(), as.URL+"/authorize", "http://127.0.0.1:1/cb")
	if err != nil || r.Code != "from-browser" || *posts != 0 {
		t.Fatalf("redirect to localhost: got %+v, %v, %d posts; want the browser's answer and no post", r, err, *posts)
	}

	// The form on 127.0.0.1 itself, which the HTTP side may request, but
	// detection's scope names only another host.
	a, err = New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{login.URL},
		Detect: &browser.Detection{Username: "alice", Password: "secret-pw", Allowed: func(u *url.URL) error {
			return fmt.Errorf("%s is not login.example.com", u.Hostname())
		}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Authorize(context.Background(), login.URL+"/authorize", "http://127.0.0.1:1/cb")
	var le *browser.LoginError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "is on 127.0.0.1, outside the profile's scope") || *posts != 0 {
		t.Fatalf("got %v, %d posts; want a LoginError naming 127.0.0.1 and no post", err, *posts)
	}
}

// TestDetectConsentAfterGivenLogin: over HTTP too, the profile's login
// steps log in and detection answers the consent page.
func TestDetectConsentAfterGivenLogin(t *testing.T) {
	s := startRefidp(t, refidp.Config{ConsentEveryTime: true, NoSession: true})
	p := s.Profile()
	hc := httpclient.New(httpclient.Options{AllowedHosts: p.ScopeHosts()})
	scope := func(u *url.URL) error { return hc.CheckScope(u.String()) }
	b := &fakeBrowser{err: errors.New("the browser must not be asked")}
	a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{p.Issuer}, Login: p.Login.Steps, ProfilePath: "refidp.yaml",
		Detect: &browser.Detection{Username: "alice", Password: "correct-horse-battery", Allowed: scope}, InScope: scope})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if r, err := a.Authorize(context.Background(), validURL(t, p), replayRedirect); err != nil || r.Code == "" {
			t.Fatalf("authorization %d: %+v, %v", i+1, r, err)
		}
	}
	given, detected := 0, 0
	for _, u := range a.UsedSteps() {
		switch {
		case browser.IsDetected(u) && u.Page == "consent":
			detected++
		case !browser.IsDetected(u) && u.Page == "login":
			given++
		default:
			t.Errorf("unexpected step %+v", u)
		}
	}
	if given != len(p.Login.Steps) || detected == 0 {
		t.Errorf("%d given login steps, %d detected consent steps; want %d and some", given, detected, len(p.Login.Steps))
	}
}

// TestDetectLeavesScriptPagesToTheBrowser: a page a script builds, and a
// login whose button only a script handles, go to the browser (with the
// session's cookies) without a post.
func TestDetectLeavesScriptPagesToTheBrowser(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"built by a script", `<html><body><div id="app"></div><script>document.getElementById('app').innerHTML = '<form></form>';</script></body></html>`},
		{"script button", `<html><body><form><input name="user" autocomplete="username"><input name="pw" type="password">` +
			`<button type="button" id="go" onclick="send()">Sign in</button></form></body></html>`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, posts := pageServer(t, tt.body)
			hc := httpclient.New(httpclient.Options{AllowedHosts: []string{"127.0.0.1"}})
			scope := func(u *url.URL) error { return hc.CheckScope(u.String()) }
			b := &fakeBrowser{answer: &authz.Response{Code: "from-browser"}}
			a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{srv.URL}, InScope: scope,
				Detect: &browser.Detection{Username: "alice", Password: "secret-pw", Allowed: scope}})
			if err != nil {
				t.Fatal(err)
			}
			r, err := a.Authorize(context.Background(), srv.URL+"/authorize", "http://127.0.0.1:1/cb")
			if err != nil || r.Code != "from-browser" || *posts != 0 || len(b.authorized) != 1 {
				t.Fatalf("got %+v, %v, %d posts, browser asked %d times; want the browser's answer and no post", r, err, *posts, len(b.authorized))
			}
			t.Logf("reason: %s", a.Stats().FirstBrowserReason)
		})
	}
}
