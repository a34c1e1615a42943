package suites_test

import (
	"context"
	"os"
	"testing"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/session"
)

// TestSuites runs the specs under `go test` through a real Chromium: against
// the profile named by $PKCECHECK_PROFILE, or else against the clean
// reference provider, where every spec must pass.
//
//	go test ./suites -count=1 -ginkgo.label-filter=rfc7636.verifier-mismatch -ginkgo.v
func TestSuites(t *testing.T) {
	ctx := context.Background()
	var p *profiles.Profile
	if path := os.Getenv("PKCECHECK_PROFILE"); path != "" {
		var err error
		if p, err = profiles.Load(path); err != nil {
			t.Fatalf("profile: %v", err)
		}
	} else {
		srv, err := refidp.StartDemo(ctx, refidp.Config{
			Username: "suite-user", Password: "suite-password-Zq8v", RedirectURI: "http://127.0.0.1:8765/callback",
			ConfidentialSecret: "suite-secret-Lk3w", Consent: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		p = srv.Profile()
	}
	run, err := session.Execute(ctx, p, session.Options{OutDir: t.TempDir(), T: t})
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	if len(run.Results) == 0 && ginkgo.GinkgoLabelFilter() == "" {
		t.Fatal("no requirement was checked")
	}
}
