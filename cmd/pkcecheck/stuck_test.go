package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// assertOffer checks a stuck login's listing in out: what the page
// offers, with each selector in sels (the page's real ids and their
// selectors), the files saved, and no value of a password or hidden field
// (read from the saved page html, when given) nor any secret.
func assertOffer(t *testing.T, out string, sels []string, html string, secrets ...string) {
	t.Helper()
	i := strings.Index(out, "what the page offers:")
	if i < 0 {
		t.Fatalf("no listing of what the page offers:\n%s", out)
	}
	listing := out[i:]
	for _, sel := range sels {
		if !regexp.MustCompile(`(?m)^\s+(input|button|link)\s+` + regexp.QuoteMeta(sel) + `\s`).MatchString(listing) {
			t.Errorf("the listing has no control with the selector %s:\n%s", sel, listing)
		}
	}
	for _, want := range []string{"login stuck:", "screenshot ", "html "} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the output shows a secret or a typed value")
		}
	}
	if html == "" {
		return
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	// Hidden values long enough to be tokens (short ones such as
	// prompt=login are words the output uses anyway).
	for _, m := range regexp.MustCompile(`<input[^>]*type="?hidden"?[^>]*value="([^"]{12,})"`).FindAllStringSubmatch(string(page), -1) {
		if strings.Contains(out, m[1]) {
			t.Errorf("the output shows a hidden field's value %q", m[1])
		}
	}
}

// savedPage is the login-failure-*.html saved in dir.
func savedPage(t *testing.T, dir string) string {
	t.Helper()
	pages, _ := filepath.Glob(filepath.Join(dir, "login-failure-*.html"))
	if len(pages) == 0 {
		t.Fatalf("no page saved in %s", dir)
	}
	return pages[0]
}

// refidpControls are the reference provider's login page's controls, by
// the selectors a listing gives them (its ids).
var refidpControls = []string{"#username", "#password", "#login"}

// TestStuckRun: a hand-written step whose element never shows (#passwd
// on the reference provider's login page) makes run list the page's real
// fields and buttons with their selectors, the step and the files saved,
// never the typed values (TestLoginCommandWrongSelector: the same for
// login).
func TestStuckRun(t *testing.T) {
	srv := startTestIDP(t)
	path := idpProfile(t, srv.Issuer(), "#passwd")
	r := pkcecheck(t, []string{"PKC_LOGIN_PASSWORD=" + loginTestPassword, "PKC_LOGIN_CONF_SECRET=" + loginTestSecret}, "run", "--profile", path)
	if r.code != exitUnreachable {
		t.Fatalf("run: exit %d, want %d\n%s%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	t.Logf("run's stderr:\n%s", r.stderr)
	assertOffer(t, r.stderr, refidpControls, savedPage(t, r.out), loginTestUser, loginTestPassword, loginTestSecret)
	if !strings.Contains(r.stderr, "step       login step 2 (fill)") {
		t.Errorf("run does not name the step it got to:\n%s", r.stderr)
	}
}

// TestStuckInit: a login page detection cannot act on (a search form)
// stops init with exit 3, listing what the page offers; no profile is
// written.
func TestStuckInit(t *testing.T) {
	issuer := startSearchPageServer(t)
	path := filepath.Join(t.TempDir(), "init.yaml")
	art := t.TempDir()
	r := binaryRun(t, []string{initUserVar + "=" + loginTestUser, initPassVar + "=" + loginTestPassword},
		"init", "--issuer", issuer, "--client-id", "app", "--redirect-uri", "http://127.0.0.1:8765/callback",
		"--username-var", initUserVar, "--password-var", initPassVar, "--out", path, "--artifacts", art, "--timeout", "3s")
	if r.code != exitUnreachable {
		t.Fatalf("init: exit %d, want %d\n%s%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	t.Logf("init:\n%s", r.stdout)
	assertOffer(t, r.stdout, []string{"#q", "#search-go", "#help"}, savedPage(t, art), loginTestUser, loginTestPassword)
	if !strings.Contains(r.stdout, `placeholder "Search the catalogue"`) {
		t.Errorf("the listing does not show the field's placeholder:\n%s", r.stdout)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("init wrote %s after a stuck login", path)
	}
}

// startSearchPageServer serves an issuer whose authorization endpoint
// shows a page with nothing to log in with: a search form and a link.
func startSearchPageServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "authorization_endpoint": issuer + "/authorize",
			"token_endpoint": issuer + "/token", "code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><head><title>Catalogue</title></head><body>
<form role="search" action="/search"><input type="search" id="q" name="q" placeholder="Search the catalogue">
<input type="hidden" name="session" value="hidden-Session-Value-9f3e"><button id="search-go">Search</button></form>
<a id="help" href="/help">Help</a></body></html>`))
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return issuer
}
