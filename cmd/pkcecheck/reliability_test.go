package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/e2e/testserver"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/results"
	"github.com/pkcecheck/pkcecheck/session"
)

// browserStartAllowance is the least the wall-time bounds allow for
// starting and stopping Chromium (browserAllowance).
const browserStartAllowance = 20 * time.Second

// browserAllowance is what the wall-time bounds allow for starting and
// stopping Chromium on this machine as loaded now: four times what one
// start and stop takes, measured here, and at least browserStartAllowance.
// A bound that a loaded machine alone could break would test the machine.
func browserAllowance(t *testing.T) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	began := time.Now()
	b, err := browser.Start(ctx, browser.Options{})
	if err != nil {
		t.Fatalf("start Chromium to measure its start: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("close Chromium: %v", err)
	}
	d := time.Since(began)
	allow := max(browserStartAllowance, 4*d)
	t.Logf("TIMING Chromium start and stop: %d ms; allowance %v", d.Milliseconds(), allow)
	return allow
}

// targetProfile writes a profile for issuer with a 2 s timeout and the
// given login steps (YAML list items, one per line, indented by 4).
func targetProfile(t *testing.T, issuer, steps string) string {
	t.Helper()
	return writeProfile(t, `name: broken target
issuer: `+issuer+`
clients:
  public: {id: pkce-public, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
limits: {timeout: 2s}
login:
  steps:
`+steps)
}

// goodSteps fill the testserver.LoginPage form (lines 8-10 of targetProfile).
const goodSteps = `    - {fill: "#username", value: "u"}
    - {fill: "#password", value: "p"}
    - {click: "#login"}
`

// TestUnreachableTargets: targets that cannot be exercised exit 3 within
// the configured timeout (a few times over, plus the browser's start),
// with a message naming the cause, a screenshot when the browser got to a
// page, and nothing left behind.
func TestUnreachableTargets(t *testing.T) {
	const timeout = 2 * time.Second
	allowance := browserAllowance(t)
	tests := []struct {
		name       string
		profile    func(t *testing.T) string
		want       []string
		screenshot bool
	}{
		{"closed port", func(t *testing.T) string {
			addr := testserver.ClosedPort(t)
			return targetProfile(t, "http://"+addr, goodSteps)
		}, []string{"connection refused"}, false},
		{"accepts and never answers", func(t *testing.T) string {
			return targetProfile(t, "http://"+testserver.Silent(t), goodSteps)
		}, []string{"no response within 2s (limits.timeout)"}, false},
		{"self-signed certificate, no ca_file", func(t *testing.T) string {
			srv := httptest.NewTLSServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			return targetProfile(t, srv.URL, goodSteps)
		}, []string{"certificate signed by unknown authority", "set tls.ca_file"}, false},
		{"discovery answers, /authorize hangs", func(t *testing.T) string {
			return targetProfile(t, testserver.HangingAuthorize(t), goodSteps)
		}, []string{"the authorization endpoint did not answer within 2s"}, true},
		{"the first login selector never appears", func(t *testing.T) string {
			lp := testserver.StartLoginPage(t)
			return targetProfile(t, lp.Issuer, "    - {fill: \"#user-typo\", value: \"u\"}\n    - {click: \"#login\"}\n")
		}, []string{`"#user-typo"`, "page did not reach a known state within 2s"}, true},
		{"a later login selector never appears", func(t *testing.T) string {
			lp := testserver.StartLoginPage(t)
			return targetProfile(t, lp.Issuer, "    - {fill: \"#username\", value: \"u\"}\n    - {fill: \"#pass-typo\", value: \"p\"}\n    - {click: \"#login\"}\n")
		}, []string{`login step 2 (fill "#pass-typo", PROFILE:9)`, "selector not visible after 2s"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := shortTmp(t)
			path := tt.profile(t)
			r, d := timedRun(t, tmp, nil, "run", "--profile", path)
			if r.code != exitUnreachable {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, exitUnreachable, r.stderr)
			}
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "PROFILE", path); !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			if limit := 3*timeout + allowance; d > limit {
				t.Errorf("took %v, want under %v", d, limit)
			}
			shots := screenshots(t, r.out)
			switch {
			case tt.screenshot && len(shots) == 0:
				t.Errorf("no login-failure screenshot in %s", r.out)
			case tt.screenshot && !strings.Contains(r.stderr, "screenshot: "+shots[0]):
				t.Errorf("stderr does not name the screenshot %s:\n%s", shots[0], r.stderr)
			case !tt.screenshot && len(shots) > 0:
				t.Errorf("screenshots %v without a page", shots)
			}
			if r.run != nil {
				t.Error("results.json written although nothing was probed")
			}
			assertNoPanic(t, r)
			assertNoLeftovers(t, tmp)
		})
	}
}

// TestFailedLoginIsNotRetried: a login the provider refuses is submitted
// once, never again (accounts lock), and the run exits 3.
func TestFailedLoginIsNotRetried(t *testing.T) {
	tmp := shortTmp(t)
	lp := testserver.StartLoginPage(t)
	r, _ := timedRun(t, tmp, nil, "run", "--profile", targetProfile(t, lp.Issuer, goodSteps))
	if r.code != exitUnreachable {
		t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, exitUnreachable, r.stderr)
	}
	if !strings.Contains(r.stderr, "login did not succeed") || !strings.Contains(r.stderr, "not retried") {
		t.Errorf("stderr does not say the login failed and was not retried:\n%s", r.stderr)
	}
	if n := lp.Attempts(); n != 1 {
		t.Errorf("the login form was submitted %d times, want exactly 1", n)
	}
	if len(screenshots(t, r.out)) == 0 {
		t.Error("no screenshot of the failed login")
	}
	assertNoLeftovers(t, tmp)
}

// TestTLSTargets: a provider on HTTPS with a private CA is exercised
// through the browser and the HTTP client when the profile names the CA
// (tls.ca_file), or with a loud warning when verification is off; without
// either the run stops with exit 3 and a hint.
func TestTLSTargets(t *testing.T) {
	ca := testserver.NewCA(t)
	leaf := ca.Leaf(t)
	srv := startRefIDP(t, refidp.Config{TLSCert: &leaf})
	if !strings.HasPrefix(srv.Issuer(), "https://127.0.0.1:") {
		t.Fatalf("issuer %s is not https", srv.Issuer())
	}
	caFile := ca.WritePEM(t)
	const labels = "rfc7636.s256-roundtrip || rfc6749.code-single-use"
	tests := []struct {
		name     string
		tls      string
		code     int
		insecure bool
		want     string
	}{
		{"ca_file", "tls: {ca_file: " + caFile + "}\n", exitOK, false, ""},
		{"insecure_skip_verify", "tls: {insecure_skip_verify: true}\n", exitOK, true, ""},
		{"no tls settings", "", exitUnreachable, false, "certificate signed by unknown authority (the server's certificate is not trusted: set tls.ca_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := shortTmp(t)
			path := refProfile(t, srv.Issuer(), "limits: {requests_per_second: 100}\n"+tt.tls)
			r, _ := timedRun(t, tmp, refEnv, "run", "--profile", path, "--label-filter", labels)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, r.stderr)
			}
			warned := strings.Contains(r.stderr, "WARNING: tls.insecure_skip_verify is on")
			if warned != tt.insecure {
				t.Errorf("insecure warning on stderr: %v, want %v\n%s", warned, tt.insecure, r.stderr)
			}
			if tt.code != exitOK {
				assertNoLeftovers(t, tmp)
				return
			}
			if r.run == nil || len(r.run.Results) != 2 || r.run.Stats.Logins != 1 {
				t.Fatalf("results: %+v", r.run)
			}
			for _, res := range r.run.Results {
				if res.Status != results.Pass {
					t.Errorf("%s: %s: %s", res.ID, res.Status, res.Summary)
				}
			}
			var noted bool
			for _, n := range r.run.Notes {
				noted = noted || (n.Kind == session.NoteTLSInsecure && strings.Contains(n.Text, "NOT verified"))
			}
			if noted != tt.insecure {
				t.Errorf("tls-insecure note in results.json: %v, want %v (%+v)", noted, tt.insecure, r.run.Notes)
			}
			for _, f := range []string{"report.md", "report.html"} {
				data, err := os.ReadFile(filepath.Join(r.out, f))
				if err != nil {
					t.Fatal(err)
				}
				if shown := strings.Contains(string(data), "NOT verified"); shown != tt.insecure {
					t.Errorf("%s shows the insecure note: %v, want %v", f, shown, tt.insecure)
				}
			}
			assertNoSecrets(t, r, loginTestPassword, loginTestSecret)
			assertNoLeftovers(t, tmp)
		})
	}
}

// TestRateLimitedTokenEndpoint: token requests answered 429 are sent again
// after Retry-After and the run passes, every attempt counted; a
// Retry-After beyond limits.timeout makes the probes errors (exit 3), not
// findings.
func TestRateLimitedTokenEndpoint(t *testing.T) {
	srv := startRefIDP(t, refidp.Config{})
	const labels = "rfc7636.s256-roundtrip || rfc7636.verifier-missing"
	tests := []struct {
		name       string
		retryAfter string
		every      int // 429 for the first of every `every` token requests
		code       int
	}{
		{"Retry-After 1 s: retried", "1", 2, exitOK},
		{"Retry-After 1 h: given up", "3600", 1, exitUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := shortTmp(t)
			proxy := testserver.StartRateLimitProxy(t, srv.Issuer(), "/token", tt.retryAfter, tt.every)
			path := refProfile(t, srv.Issuer(), "endpoints: {token: \""+proxy.URL+"/token\"}\nlimits: {requests_per_second: 100, timeout: 5s}\n")
			r, _ := timedRun(t, tmp, refEnv, "run", "--profile", path, "--label-filter", labels)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if r.run == nil {
				t.Fatal("no results.json")
			}
			if proxy.Limited() == 0 {
				t.Fatal("the proxy answered no 429")
			}
			switch tt.code {
			case exitOK:
				if got, min := r.run.Stats.HTTPRequests, proxy.Limited()+proxy.Passed(); got < min {
					t.Errorf("http_requests = %d, want at least the %d token attempts", got, min)
				}
				if proxy.Passed() != proxy.Limited() {
					t.Errorf("%d requests passed, %d limited: each 429 should have been retried once", proxy.Passed(), proxy.Limited())
				}
			default:
				if proxy.Passed() != 0 {
					t.Errorf("%d token requests passed after a 1 h Retry-After", proxy.Passed())
				}
				for _, res := range r.run.Results {
					if res.Status != results.Error || !strings.Contains(res.Summary, "429") {
						t.Errorf("%s: %s: %s; want error naming the 429", res.ID, res.Status, res.Summary)
					}
				}
			}
			assertNoLeftovers(t, tmp)
		})
	}
}

// TestRequestBudget: limits.max_requests stops the HTTP requests (and the
// minting of codes for probes that could not use them); those probes are
// errors that name the budget, and the run exits 3 as nothing failed.
func TestRequestBudget(t *testing.T) {
	tmp := shortTmp(t)
	srv := startRefIDP(t, refidp.Config{})
	path := refProfile(t, srv.Issuer(), "limits: {requests_per_second: 100, max_requests: 3}\n")
	before := srv.Stats()
	r, _ := timedRun(t, tmp, refEnv, "run", "--profile", path, "--label-filter", "rfc7636.verifier-mismatch || rfc6749.code-single-use")
	if r.code != exitUnreachable {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	if r.run == nil {
		t.Fatal("no results.json")
	}
	if got := r.run.Stats.HTTPRequests; got > 3 {
		t.Errorf("http_requests = %d, want at most the budget of 3", got)
	}
	var budgeted int
	for _, res := range r.run.Results {
		if res.Status == results.Fail {
			t.Errorf("%s failed: %s", res.ID, res.Summary)
		}
		if res.Status == results.Error && strings.Contains(res.Summary, "limits.max_requests") {
			budgeted++
		}
	}
	if budgeted == 0 {
		t.Errorf("no result is an error naming limits.max_requests: %+v", r.run.Results)
	}
	// The warm-up code, and one per token request the budget allowed.
	if after := srv.Stats(); after.CodesIssued-before.CodesIssued > 4 || r.run.Stats.CodesMinted > 4 {
		t.Errorf("%d codes issued (%d minted) with a budget of 3 requests: minting should stop", after.CodesIssued-before.CodesIssued, r.run.Stats.CodesMinted)
	}
	assertNoLeftovers(t, tmp)
}

// TestScopeGuard: protocol requests go only to the target's hosts. Metadata
// that puts an endpoint on another host stops run and login before the
// login; a redirect of discovery to another server is reported, not
// followed.
func TestScopeGuard(t *testing.T) {
	for _, command := range []string{"run", "login"} {
		t.Run("metadata endpoint on another host/"+command, func(t *testing.T) {
			tmp := shortTmp(t)
			var authorize atomic.Int64
			var issuer string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/authorize" {
					authorize.Add(1)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(map[string]string{
					"issuer": issuer, "authorization_endpoint": issuer + "/authorize",
					"token_endpoint": "https://tokens.elsewhere.example/token",
				})
			}))
			t.Cleanup(srv.Close)
			issuer = srv.URL
			r, _ := timedRun(t, tmp, nil, command, "--profile", targetProfile(t, issuer, goodSteps), "--out", filepath.Join(tmp, "out"))
			if r.code != exitUnreachable {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, exitUnreachable, r.stderr)
			}
			for _, w := range []string{"token endpoint https://tokens.elsewhere.example/token", `"tokens.elsewhere.example" is not one of 127.0.0.1`, "scope.hosts"} {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			if n := authorize.Load(); n != 0 {
				t.Errorf("the browser went to /authorize %d times before the scope was checked", n)
			}
			assertNoLeftovers(t, tmp)
		})
	}
	t.Run("discovery redirects elsewhere", func(t *testing.T) {
		tmp := shortTmp(t)
		var elsewhere atomic.Int64
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
		t.Cleanup(other.Close)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
		}))
		t.Cleanup(srv.Close)
		r, _ := timedRun(t, tmp, nil, "run", "--profile", targetProfile(t, srv.URL, goodSteps))
		if r.code != exitUnreachable || !strings.Contains(r.stderr, "302 Found") {
			t.Errorf("exit %d, want %d with the 302 named\nstderr:\n%s", r.code, exitUnreachable, r.stderr)
		}
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("the redirect was followed %d times", n)
		}
		assertNoLeftovers(t, tmp)
	})
}

// TestInsecureWarningFirst: the insecure warning is printed at the start,
// before any request, also when the target then cannot be reached.
func TestInsecureWarningFirst(t *testing.T) {
	tmp := shortTmp(t)
	addr := testserver.ClosedPort(t)
	path := targetProfile(t, "https://"+addr, goodSteps)
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(data, []byte("tls: {insecure_skip_verify: true}\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ := timedRun(t, tmp, nil, "run", "--profile", path)
	if r.code != exitUnreachable || !strings.Contains(r.stderr, "WARNING: tls.insecure_skip_verify is on") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if i, j := strings.Index(r.stderr, "WARNING"), strings.Index(r.stderr, "discovering"); j >= 0 && i > j {
		t.Errorf("the warning comes after discovery began:\n%s", r.stderr)
	}
	assertNoLeftovers(t, tmp)
}
