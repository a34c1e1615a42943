package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/nodeoidc"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// lifetimeFilter selects rfc6749.code-lifetime and a few quick
// requirements that run while its code waits.
const lifetimeFilter = "rfc6749.code-lifetime || rfc6749.code-race-mixed || rfc7636.verifier-mismatch"

// TestCodeLifetime: rfc6749.code-lifetime runs only when the label filter
// names it; then its code, minted first, is redeemed after the other specs
// once older than max_code_age. Against the reference provider with a 2 s
// lifetime (max_code_age 3 s), clean and with each lifetime flaw, and
// against node-oidc-provider with a 2 s code TTL.
func TestCodeLifetime(t *testing.T) {
	t.Run("off by default", func(t *testing.T) {
		r := pkcecheck(t, nil, "demo", "--code-lifetime", "2s", "--label-filter", "rfc7636.verifier-mismatch")
		if r.run == nil || len(r.run.Results) != 1 || r.run.Results[0].ID != string(requirements.VerifierMismatch) {
			t.Fatalf("want only rfc7636.verifier-mismatch checked; exit %d: %s", r.code, r.stderr)
		}
	})
	tests := []struct {
		flaws string
		want  results.Status
	}{
		{"", results.Pass},
		{"code-expiry-unchecked", results.Warn},
		{"code-lifetime-minutes", results.Warn},
	}
	for _, tt := range tests {
		t.Run("reference provider "+tt.flaws, func(t *testing.T) {
			began := time.Now()
			r := pkcecheck(t, nil, "demo", "--code-lifetime", "2s", "--label-filter", lifetimeFilter, "--flaws", tt.flaws)
			if r.run == nil {
				t.Fatalf("no results (exit %d): %s", r.code, r.stderr)
			}
			checkLifetime(t, r, tt.want)
			// The wait overlaps the other specs: the run is not the wait
			// plus the rest, and never shorter than max_code_age.
			if took := time.Since(began); took < 3*time.Second {
				t.Errorf("the run took %v, less than max_code_age", took)
			}
		})
	}
	t.Run("node-oidc-provider", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		srv, err := nodeoidc.Start(ctx, nodeoidc.Options{ConfidentialSecret: nodeSecret, CodeTTL: 2 * time.Second})
		if err != nil {
			t.Fatalf("start node-oidc-provider: %v", err)
		}
		t.Cleanup(func() { srv.Stop() })
		// The shipped profile with max_code_age 3s for the 2 s TTL.
		data, err := os.ReadFile("../../profiles/node-oidc-provider.yaml")
		if err != nil {
			t.Fatal(err)
		}
		short := strings.Replace(string(data), "max_code_age: 61s", "max_code_age: 3s", 1)
		if short == string(data) {
			t.Fatal("the shipped profile has no max_code_age: 61s line")
		}
		// Its relative key_file must still point at the key from the copy.
		key, err := filepath.Abs("../../e2e/providers/nodeoidc/dev-only-client-key.pem")
		if err != nil {
			t.Fatal(err)
		}
		short = strings.ReplaceAll(short, "../e2e/providers/nodeoidc/dev-only-client-key.pem", key)
		r := pkcecheck(t, []string{
			"NODE_OIDC_ISSUER=" + srv.Issuer(), "NODE_OIDC_USER=" + nodeUser,
			"NODE_OIDC_PASSWORD=" + nodePassword, "NODE_OIDC_CONF_SECRET=" + nodeSecret,
		}, "run", "--profile", writeProfile(t, short), "--label-filter", lifetimeFilter)
		if r.run == nil {
			t.Fatalf("no results (exit %d): %s", r.code, r.stderr)
		}
		checkLifetime(t, r, results.Pass)
		assertNoSecrets(t, r, nodePassword, nodeSecret)
	})
}

// checkLifetime checks rfc6749.code-lifetime's status and that the other
// selected requirements passed.
func checkLifetime(t *testing.T, r cliResult, want results.Status) {
	t.Helper()
	seen := false
	for _, res := range r.run.Results {
		w := results.Pass
		if res.ID == string(requirements.CodeLifetime) {
			w, seen = want, true
		}
		if res.Status != w {
			t.Errorf("%s: %s, want %s: %s", res.ID, res.Status, w, res.Summary)
		}
	}
	if !seen || len(r.run.Results) != 3 {
		t.Errorf("%d results, rfc6749.code-lifetime among them: %t; want 3 with it", len(r.run.Results), seen)
	}
}
