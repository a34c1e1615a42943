package browser

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// cookieApp sets cookies on /set and echoes the cookie names it receives
// on /echo, both answering with a redirect to the client.
func cookieApp(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		back := r.URL.Query().Get("redirect_uri")
		switch r.URL.Path {
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
			http.SetCookie(w, &http.Cookie{Name: "scoped", Value: "v2", Path: "/realm/", MaxAge: 3600})
			http.SetCookie(w, &http.Cookie{Name: "quoted", Value: "a b", Path: "/"})
			http.Redirect(w, r, back+"?done=1", http.StatusFound)
		default: // /echo and /realm/echo
			var names []string
			for _, c := range r.Cookies() {
				names = append(names, c.Name+"="+c.Value)
			}
			sort.Strings(names)
			http.Redirect(w, r, back+"?"+url.Values{"cookies": {strings.Join(names, ",")}}.Encode(), http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCookiesRoundTrip(t *testing.T) {
	app := cookieApp(t)
	b, _ := startTestBrowser(t, Options{Login: []profiles.Step{}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.Authorize(ctx, app.URL+"/set?redirect_uri="+url.QueryEscape(unusedRedirect), unusedRedirect); err != nil {
		t.Fatalf("Authorize /set: %v", err)
	}

	cookies, err := b.Cookies(ctx)
	if err != nil {
		t.Fatalf("Cookies: %v", err)
	}
	got := map[string]*http.Cookie{}
	for _, c := range cookies {
		got[c.Name] = c
	}
	sid, scoped, quoted := got["sid"], got["scoped"], got["quoted"]
	switch {
	case sid == nil || sid.Value != "s1" || sid.Domain != "127.0.0.1" || sid.Path != "/" || !sid.HttpOnly ||
		sid.SameSite != http.SameSiteLaxMode || !sid.Expires.IsZero():
		t.Errorf("sid = %+v, want a host-only session cookie s1 for 127.0.0.1, HttpOnly, Lax", sid)
	case scoped == nil || scoped.Path != "/realm/" || time.Until(scoped.Expires) < 50*time.Minute:
		t.Errorf("scoped = %+v, want path /realm/ and an expiry in an hour", scoped)
	case quoted == nil || quoted.Value != "a b" || !quoted.Quoted:
		t.Errorf("quoted = %+v, want the value a b, quoted", quoted)
	}

	// Cookies set as a response from the server would: a new one, a
	// replaced one, a deleted one.
	u, _ := url.Parse(app.URL + "/login/step")
	err = b.SetCookies(ctx, u, []*http.Cookie{
		{Name: "sid", Value: "s2", Path: "/"},
		{Name: "fresh", Value: "f1"}, // default path: /login
		{Name: "scoped", Path: "/realm/", MaxAge: -1},
	})
	if err != nil {
		t.Fatalf("SetCookies: %v", err)
	}
	echo := func(path string) string {
		t.Helper()
		r, err := b.Authorize(ctx, app.URL+path+"?redirect_uri="+url.QueryEscape(unusedRedirect), unusedRedirect)
		if err != nil {
			t.Fatalf("Authorize %s: %v", path, err)
		}
		loc, _ := url.Parse(r.Location)
		return loc.Query().Get("cookies")
	}
	if got, want := echo("/realm/echo"), `quoted=a b,sid=s2`; got != want {
		t.Errorf("cookies sent to /realm/echo: %q, want %q (scoped deleted, sid replaced)", got, want)
	}
	if got, want := echo("/login/echo"), `fresh=f1,quoted=a b,sid=s2`; got != want {
		t.Errorf("cookies sent to /login/echo: %q, want %q", got, want)
	}

	ua, err := b.UserAgent(ctx)
	if err != nil || !strings.Contains(ua, "Chrome") {
		t.Errorf("UserAgent = %q, %v; want Chromium's", ua, err)
	}
	if err := b.SetCookies(ctx, &url.URL{Path: "/relative"}, []*http.Cookie{{Name: "x", Value: "y"}}); err == nil {
		t.Error("SetCookies accepted a URL without scheme and host")
	}
	b.Close()
	if _, err := b.Cookies(ctx); err == nil {
		t.Error("Cookies after Close succeeded")
	}
}
