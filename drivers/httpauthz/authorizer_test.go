package httpauthz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// fakeBrowser stands in for drivers/browser: it holds cookies and answers
// the authorizations handed to it with a fixed response.
type fakeBrowser struct {
	mu         sync.Mutex
	cookies    []*http.Cookie
	set        []string // "name=value@url" for every cookie SetCookies got
	authorized []string // URLs handed to Authorize
	cookieRead int
	answer     *authz.Response
	err        error
	login      []*http.Cookie // cookies Authorize adds (a login)
}

func (f *fakeBrowser) Authorize(ctx context.Context, authURL, redirectURI string) (*authz.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.authorized = append(f.authorized, authURL)
	f.cookies = append(f.cookies, f.login...)
	if f.err != nil {
		return nil, f.err
	}
	r := *f.answer
	return &r, nil
}

func (f *fakeBrowser) Cookies(ctx context.Context) ([]*http.Cookie, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cookieRead++
	return f.cookies, nil
}

func (f *fakeBrowser) SetCookies(ctx context.Context, u *url.URL, cs []*http.Cookie) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range cs {
		f.set = append(f.set, c.Name+"="+c.Value+"@"+u.String())
	}
	return nil
}

// target is a small authorization server on 127.0.0.1. /authorize answers
// by its "mode" parameter; the session cookie "sid=s1" counts as logged in.
type target struct {
	srv      *httptest.Server
	mu       sync.Mutex
	paths    []string
	cookies  []string // Cookie headers received
	foreign  atomic.Int64
	callback atomic.Int64
	foreignU string
	redirect string // the client's redirect URI (served, to prove it is never requested)
}

func newTarget(t *testing.T) *target {
	t.Helper()
	tg := &target{}
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tg.foreign.Add(1) }))
	t.Cleanup(foreign.Close)
	client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tg.callback.Add(1) }))
	t.Cleanup(client.Close)
	tg.foreignU = foreign.URL
	tg.redirect = client.URL + "/callback"
	tg.srv = httptest.NewServer(http.HandlerFunc(tg.serve))
	t.Cleanup(tg.srv.Close)
	return tg
}

func (tg *target) serve(w http.ResponseWriter, r *http.Request) {
	tg.mu.Lock()
	tg.paths = append(tg.paths, r.URL.Path)
	tg.cookies = append(tg.cookies, r.Header.Get("Cookie"))
	tg.mu.Unlock()
	q := r.URL.Query()
	back := func(params string) {
		http.Redirect(w, r, tg.redirect+"?"+params+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	}
	if c, err := r.Cookie("sid"); err != nil || c.Value != "s1" {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<form method="post"><input id="username"></form>`)
		return
	}
	switch r.URL.Path {
	case "/resume":
		back("code=c2")
		return
	case "/authorize":
	default:
		http.NotFound(w, r)
		return
	}
	switch q.Get("mode") {
	case "code":
		back("code=c1")
	case "error":
		back("error=invalid_request&error_description=bad+challenge")
	case "page":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<!doctype html><html><head><title>Error</title><style>p{}</style></head><body><h1>Request refused</h1><p id="error">The client is &lt;unknown&gt;.</p></body></html>`)
	case "empty-page":
		w.WriteHeader(http.StatusForbidden)
	case "form-page":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `<form><input id="username"></form>`)
	case "consent":
		http.SetCookie(w, &http.Cookie{Name: "interaction", Value: "i1", Path: "/"})
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<button id="approve">Allow</button>`)
	case "hop":
		http.Redirect(w, r, "/resume", http.StatusSeeOther)
	case "foreign":
		http.Redirect(w, r, tg.foreignU+"/login", http.StatusFound)
	case "busy":
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	case "loop":
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	default:
		http.Error(w, "mode?", http.StatusTeapot)
	}
}

func (tg *target) authURL(mode string) string {
	return tg.srv.URL + "/authorize?response_type=code&client_id=c&state=st&mode=" + mode
}

func newAuthorizer(t *testing.T, tg *target, b *fakeBrowser, hc *httpclient.Client) *Authorizer {
	t.Helper()
	a, err := New(Options{HTTP: hc.HTTP(), Browser: b, Hosts: []string{tg.srv.URL}, UserAgent: "test-agent"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func loggedIn(tg *target) *fakeBrowser {
	host := strings.TrimPrefix(tg.srv.URL, "http://")
	host = host[:strings.LastIndexByte(host, ':')]
	return &fakeBrowser{
		cookies: []*http.Cookie{
			{Name: "sid", Value: "s1", Domain: host, Path: "/"},
			{Name: "elsewhere", Value: "x", Domain: "other.example", Path: "/"},
		},
		answer: &authz.Response{Code: "from-browser"},
	}
}

func TestAuthorizeOverHTTP(t *testing.T) {
	tests := []struct {
		mode  string
		check func(t *testing.T, r *authz.Response)
		hits  int // requests to the target
	}{
		{"code", func(t *testing.T, r *authz.Response) {
			if r.Code != "c1" || r.State != "st" || r.ErrorPage || !strings.Contains(r.Location, "/callback?code=c1") {
				t.Errorf("got %+v, want code c1 and state st", r)
			}
		}, 1},
		{"error", func(t *testing.T, r *authz.Response) {
			if r.Error != "invalid_request" || r.ErrorDescription != "bad challenge" || r.Code != "" {
				t.Errorf("got %+v, want error invalid_request", r)
			}
		}, 1},
		{"hop", func(t *testing.T, r *authz.Response) {
			if r.Code != "c2" {
				t.Errorf("got %+v, want code c2 after a redirect within the host", r)
			}
		}, 2},
		{"page", func(t *testing.T, r *authz.Response) {
			want := "Request refused\n\nThe client is <unknown>."
			if !r.ErrorPage || r.Status != 400 || r.Body != want || !strings.HasSuffix(r.PageURL, "mode=page") {
				t.Errorf("got %+v, want error page 400 with body %q", r, want)
			}
		}, 1},
		{"empty-page", func(t *testing.T, r *authz.Response) {
			if !r.ErrorPage || r.Status != 403 || r.Body != "" {
				t.Errorf("got %+v, want error page 403 without body", r)
			}
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			tg := newTarget(t)
			b := loggedIn(tg)
			hc := httpclient.New(httpclient.Options{})
			a := newAuthorizer(t, tg, b, hc)
			r, err := a.Authorize(context.Background(), tg.authURL(tt.mode), tg.redirect)
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			tt.check(t, r)
			if len(b.authorized) != 0 {
				t.Errorf("the browser was asked: %v", b.authorized)
			}
			if got := hc.Requests(); got != tt.hits || len(tg.paths) != tt.hits {
				t.Errorf("counted %d requests, target saw %d, want %d", got, len(tg.paths), tt.hits)
			}
			if tg.callback.Load() != 0 {
				t.Error("the redirect URI was requested")
			}
			if c := tg.cookies[0]; c != "sid=s1" {
				t.Errorf("Cookie header %q, want only the session cookie of the target's host", c)
			}
			if s := a.Stats(); s.HTTP != 1 || s.Browser != 0 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestAuthorizeFallsBackToBrowser(t *testing.T) {
	tests := []struct {
		mode    string
		foreign int64
		setSeen bool // the cookie the server set went to the browser
	}{
		{"consent", 0, true},
		{"form-page", 0, false},
		{"foreign", 0, false},
		{"loop", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			tg := newTarget(t)
			b := loggedIn(tg)
			var logs []string
			a, err := New(Options{HTTP: httpclient.New(httpclient.Options{}).HTTP(), Browser: b, Hosts: []string{tg.srv.URL},
				Logf: func(f string, args ...any) { logs = append(logs, fmt.Sprintf(f, args...)) }})
			if err != nil {
				t.Fatal(err)
			}
			u := tg.authURL(tt.mode)
			r, err := a.Authorize(context.Background(), u, tg.redirect)
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			if r.Code != "from-browser" || len(b.authorized) != 1 || b.authorized[0] != u {
				t.Errorf("got %+v, browser asked %v; want the browser's answer for %s", r, b.authorized, u)
			}
			if tg.foreign.Load() != 0 || tg.callback.Load() != 0 {
				t.Errorf("requested a foreign host (%d) or the redirect URI (%d)", tg.foreign.Load(), tg.callback.Load())
			}
			if got := len(b.set) > 0; got != tt.setSeen {
				t.Errorf("cookies handed to the browser: %v", b.set)
			}
			if b.cookieRead != 1 {
				t.Errorf("browser cookies read %d times, want 1", b.cookieRead)
			}
			// The next HTTP attempt reads the cookies the browser has now.
			if r, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect); err != nil || r.Code != "c1" {
				t.Errorf("next authorization: %+v, %v; want c1 over HTTP", r, err)
			}
			if b.cookieRead != 2 {
				t.Errorf("browser cookies read %d times, want 2 (before each HTTP attempt after the browser)", b.cookieRead)
			}
			if len(logs) != 1 || strings.Contains(logs[0], "state=") {
				t.Errorf("want one log line without query values, got %q", logs)
			}
			if s := a.Stats(); s.HTTP != 1 || s.Browser != 1 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// TestAuthorizeNotLoggedIn: without the session cookie the login form
// shows, so the browser answers; its cookies are then used.
func TestAuthorizeNotLoggedIn(t *testing.T) {
	tg := newTarget(t)
	b := loggedIn(tg)
	b.login, b.cookies = b.cookies, nil
	a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{}))
	if _, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect); err != nil {
		t.Fatal(err)
	}
	if len(b.authorized) != 1 {
		t.Fatalf("browser asked %d times, want 1", len(b.authorized))
	}
	r, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect)
	if err != nil || r.Code != "c1" {
		t.Fatalf("second Authorize = %+v, %v; want c1 over HTTP", r, err)
	}
	if len(b.authorized) != 1 {
		t.Errorf("browser asked %d times, want 1", len(b.authorized))
	}
}

// TestBackOff: a server that shows a page on every authorization gets
// fewer and fewer HTTP attempts; once it redirects again, HTTP answers.
func TestBackOff(t *testing.T) {
	tg := newTarget(t)
	b := loggedIn(tg)
	a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{}))
	const n = 40
	for range n {
		if _, err := a.Authorize(context.Background(), tg.authURL("consent"), tg.redirect); err != nil {
			t.Fatal(err)
		}
	}
	st := a.Stats()
	attempts := len(tg.paths)
	t.Logf("%d authorizations needing the browser: %d HTTP attempts, stats %+v", n, attempts, st)
	if st.Browser != n || st.HTTP != 0 || attempts != n-st.Skipped || attempts > 10 {
		t.Errorf("%d HTTP attempts for %d authorizations (stats %+v), want at most 10", attempts, n, st)
	}
	for i := range maxSkip + 1 {
		r, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect)
		if err != nil {
			t.Fatal(err)
		}
		if r.Code == "c1" {
			if a.Stats().HTTP != 1 {
				t.Errorf("stats %+v", a.Stats())
			}
			return
		}
		t.Logf("authorization %d after the server changed went to the browser", i+1)
	}
	t.Errorf("HTTP never tried again within %d authorizations", maxSkip+1)
}

func TestAuthorizeErrors(t *testing.T) {
	t.Run("cancelled", func(t *testing.T) {
		tg := newTarget(t)
		b := loggedIn(tg)
		a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{}))
		if _, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := a.Authorize(ctx, tg.authURL("code"), tg.redirect); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if len(b.authorized) != 0 {
			t.Errorf("the browser was asked after cancellation")
		}
	})
	t.Run("budget", func(t *testing.T) {
		tg := newTarget(t)
		b := loggedIn(tg)
		a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{MaxRequests: 1}))
		if _, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect); !errors.Is(err, httpclient.ErrRequestBudget) {
			t.Errorf("err = %v, want ErrRequestBudget", err)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		tg := newTarget(t)
		b := loggedIn(tg)
		a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{MaxRetries: 1}))
		if _, err := a.Authorize(context.Background(), tg.authURL("busy"), tg.redirect); !errors.Is(err, httpclient.ErrRateLimited) {
			t.Errorf("err = %v, want ErrRateLimited", err)
		}
		if len(b.authorized) != 0 {
			t.Errorf("the browser was asked although the server asked to slow down")
		}
	})
	t.Run("server gone", func(t *testing.T) {
		tg := newTarget(t)
		b := loggedIn(tg)
		a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{Timeout: 2 * time.Second}))
		tg.srv.Close()
		r, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect)
		if err != nil || r.Code != "from-browser" {
			t.Errorf("got %+v, %v; want the browser's answer", r, err)
		}
	})
	t.Run("browser error", func(t *testing.T) {
		tg := newTarget(t)
		b := loggedIn(tg)
		b.err = errors.New("login failed")
		a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{}))
		if _, err := a.Authorize(context.Background(), tg.authURL("consent"), tg.redirect); err == nil || err.Error() != "login failed" {
			t.Errorf("err = %v, want the browser's error", err)
		}
	})
}

func TestNewValidates(t *testing.T) {
	hc := httpclient.New(httpclient.Options{}).HTTP()
	b := &fakeBrowser{}
	for _, o := range []Options{
		{Browser: b, Hosts: []string{"http://127.0.0.1:1"}},
		{HTTP: hc, Hosts: []string{"http://127.0.0.1:1"}},
		{HTTP: hc, Browser: b},
		{HTTP: hc, Browser: b, Hosts: []string{"/relative"}},
		{HTTP: hc, Browser: b, Hosts: []string{"ftp://127.0.0.1/"}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}

func TestHostSet(t *testing.T) {
	s, err := newHostSet([]string{"https://Login.Example.com/realms/x", "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		url  string
		want bool
	}{
		{"https://login.example.com/authorize", true},
		{"https://login.example.com:443/x", true},
		{"http://login.example.com/x", false}, // port 80
		{"https://evil.example.com/x", false},
		{"http://127.0.0.1:8080/x", true},
		{"http://127.0.0.1:8081/x", false},
		{"javascript:alert(1)", false},
	} {
		u, _ := url.Parse(tt.url)
		if got := s.allows(u); got != tt.want {
			t.Errorf("allows(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
	for _, tt := range []struct {
		domain string
		want   bool
	}{
		{"login.example.com", true},
		{".example.com", true},
		{"example.com", false}, // host-only for another host
		{".other.com", false},
		{"127.0.0.1", true},
	} {
		if got := s.cookieFor(tt.domain); got != tt.want {
			t.Errorf("cookieFor(%s) = %v, want %v", tt.domain, got, tt.want)
		}
	}
}

// TestNeverFollowsByItself: even with a client that follows redirects, the
// redirect URI is recognized and never requested.
func TestNeverFollowsByItself(t *testing.T) {
	tg := newTarget(t)
	b := loggedIn(tg)
	a, err := New(Options{HTTP: &http.Client{Timeout: 5 * time.Second}, Browser: b, Hosts: []string{tg.srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"code", "hop"} {
		r, err := a.Authorize(context.Background(), tg.authURL(mode), tg.redirect)
		if err != nil || r.Code == "" {
			t.Fatalf("%s: got %+v, %v; want a code", mode, r, err)
		}
	}
	if tg.callback.Load() != 0 || len(b.authorized) != 0 {
		t.Errorf("redirect URI requested %d times, browser asked %d times; want 0 and 0", tg.callback.Load(), len(b.authorized))
	}
}

// TestSecureCookiesOnLoopback: cookies marked Secure go to a loopback host
// over http, as Chromium sends them, whether they came from the browser or
// from a response; Secure cookies of other hosts stay https-only.
func TestSecureCookiesOnLoopback(t *testing.T) {
	tg := newTarget(t)
	b := loggedIn(tg)
	b.cookies[0].Secure = true
	a := newAuthorizer(t, tg, b, httpclient.New(httpclient.Options{}))
	r, err := a.Authorize(context.Background(), tg.authURL("code"), tg.redirect)
	if err != nil || r.Code != "c1" {
		t.Fatalf("got %+v, %v; want a code over HTTP with the Secure session cookie", r, err)
	}

	jar, err := newJar([]*http.Cookie{
		{Name: "remote", Value: "r", Domain: "idp.example", Path: "/", Secure: true},
		{Name: "local", Value: "l", Domain: "localhost", Path: "/", Secure: true},
	}, hostSet{"idp.example:80": true, "idp.example:443": true, "localhost:8080": true}.cookieFor)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ url, want string }{
		{"http://idp.example/", ""},
		{"https://idp.example/", "remote=r"},
		{"http://localhost:8080/", "local=l"},
	} {
		u, _ := url.Parse(tt.url)
		var got []string
		for _, c := range jar.Cookies(u) {
			got = append(got, c.Name+"="+c.Value)
		}
		if strings.Join(got, ";") != tt.want {
			t.Errorf("cookies for %s: %q, want %q", tt.url, got, tt.want)
		}
	}
	jar.SetCookies(&url.URL{Scheme: "http", Host: "localhost:8080", Path: "/"}, []*http.Cookie{{Name: "rotated", Value: "x", Secure: true}})
	if got := jar.Cookies(&url.URL{Scheme: "http", Host: "localhost:8080", Path: "/"}); len(got) != 2 {
		t.Errorf("a Secure cookie set over http://localhost is not sent back: %v", got)
	}
}
