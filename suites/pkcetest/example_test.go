package pkcetest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/suites/pkcetest"
)

// A server's own test runs the suites against its test instance: a profile
// (here YAML with ${VAR} for the secrets, read from the environment) names
// the issuer, the clients and the login steps; Check fails the test for
// every requirement that fails and returns the report.
func ExampleCheck() {
	testPKCE := func(t *testing.T) {
		issuer := "http://127.0.0.1:9000" // where the test started the server
		p, err := profiles.Parse("pkce.yaml", []byte(`
name: my-idp (test instance)
issuer: `+issuer+`
clients:
  public: {id: spa, auth_method: none, redirect_uri: "http://127.0.0.1:8765/callback", scopes: [openid]}
  confidential: {id: backend, secret: "${IDP_CLIENT_SECRET}", auth_method: client_secret_basic, redirect_uri: "http://127.0.0.1:8765/callback"}
login:
  steps:
    - {fill: "#username", value: alice}
    - {fill: "#password", value: "${IDP_PASSWORD}"}
    - {click: "button[type=submit]"}
`), os.LookupEnv)
		if err != nil {
			t.Fatal(err)
		}
		report := pkcetest.Check(t, p, pkcetest.Options{
			OutDir:      t.TempDir(),                                            // junit.xml, results.json, report.html, report.md
			LabelFilter: "rfc7636.verifier-mismatch || rfc6749.code-single-use", // "" = every requirement
		})
		for _, r := range report.Results {
			if r.Status == pkcetest.Skip {
				t.Logf("%s does not apply: %s", r.ID, r.Summary)
			}
		}
	}
	_ = testPKCE // func TestPKCE(t *testing.T) in your server's tests
}

// TestCheckReferenceProvider runs Check as a server's test would, against
// the in-repo reference provider through a real Chromium: every requirement
// of the catalogue is checked and passes (or does not apply), and the
// reports are written.
func TestCheckReferenceProvider(t *testing.T) {
	srv, err := refidp.StartDemo(context.Background(), refidp.Config{
		Username: "pkcetest-user", Password: "pkcetest-password-Vq7k", RedirectURI: "http://127.0.0.1:8765/callback",
		ConfidentialSecret: "pkcetest-secret-Hw2m", Consent: true,
	})
	if err != nil {
		t.Fatalf("start the reference provider: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	out := t.TempDir()

	report := pkcetest.Check(t, srv.Profile(), pkcetest.Options{OutDir: out})

	// One result per requirement, but for those checked only when asked
	// for by name (the code lifetime waits minutes by design).
	if got, want := len(report.Results), len(requirements.All())-len(requirements.OffByDefaultIDs()); got != want {
		t.Errorf("%d results, want one per requirement that is on by default (%d)", got, want)
	}
	for _, r := range report.Results {
		if r.Status != pkcetest.Pass && r.Status != pkcetest.Skip {
			t.Errorf("%s: %s: %s", r.ID, r.Status, r.Summary)
		}
	}
	if report.Stats.Logins != 1 || report.Stats.CodesMinted < len(report.Results) {
		t.Errorf("stats %+v: want one login and a code per requirement at least", report.Stats)
	}
	for _, f := range []string{"junit.xml", "results.json", "report.html", "report.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("report not written: %v", err)
		}
	}
}
