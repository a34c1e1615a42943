package main

import (
	"context"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/nodeoidc"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// modeFilter selects the response-mode requirements.
const modeFilter = "rfc7636.form-post-enforced || rfc7636.fragment-enforced"

// TestResponseModesInBrowser mints every code in Chromium (--browser-only):
// the browser driver catches form_post responses (a POST to the redirect
// URI) and fragment redirects, against the reference provider with and
// without a flaw on each path, and against node-oidc-provider (form_post
// and the hybrid flow code id_token).
func TestResponseModesInBrowser(t *testing.T) {
	tests := []struct {
		name  string
		flaws string
		want  map[requirements.ID]results.Status
	}{
		{"clean", "", map[requirements.ID]results.Status{requirements.FormPostEnforced: results.Pass, requirements.FragmentEnforced: results.Pass}},
		{"form_post path drops the challenge", "form-post-drops-challenge",
			map[requirements.ID]results.Status{requirements.FormPostEnforced: results.Fail, requirements.FragmentEnforced: results.Pass}},
		{"fragment path loses the method", "fragment-method-plain",
			map[requirements.ID]results.Status{requirements.FormPostEnforced: results.Pass, requirements.FragmentEnforced: results.Fail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pkcecheck(t, nil, "demo", "--browser-only", "--label-filter", modeFilter, "--flaws", tt.flaws)
			if r.run == nil {
				t.Fatalf("no results (exit %d): %s", r.code, r.stderr)
			}
			checkModeResults(t, r, tt.want)
		})
	}
	t.Run("node-oidc-provider", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		srv, err := nodeoidc.Start(ctx, nodeoidc.Options{ConfidentialSecret: nodeSecret})
		if err != nil {
			t.Fatalf("start node-oidc-provider: %v", err)
		}
		t.Cleanup(func() { srv.Stop() })
		r := pkcecheck(t, []string{
			"NODE_OIDC_ISSUER=" + srv.Issuer(), "NODE_OIDC_USER=" + nodeUser,
			"NODE_OIDC_PASSWORD=" + nodePassword, "NODE_OIDC_CONF_SECRET=" + nodeSecret,
		}, "run", "--profile", "../../profiles/node-oidc-provider.yaml", "--browser-only", "--label-filter", modeFilter)
		if r.run == nil {
			t.Fatalf("no results (exit %d): %s", r.code, r.stderr)
		}
		checkModeResults(t, r, map[requirements.ID]results.Status{requirements.FormPostEnforced: results.Pass, requirements.FragmentEnforced: results.Pass})
		assertNoSecrets(t, r, nodePassword, nodeSecret)
	})
}

// checkModeResults compares the statuses of the run with want, which names
// every requirement the run must have.
func checkModeResults(t *testing.T, r cliResult, want map[requirements.ID]results.Status) {
	t.Helper()
	got := map[requirements.ID]results.Result{}
	for _, res := range r.run.Results {
		got[requirements.ID(res.ID)] = res
	}
	if len(got) != len(want) {
		t.Errorf("%d results, want %d", len(got), len(want))
	}
	for id, w := range want {
		if g := got[id]; g.Status != w {
			t.Errorf("%s: %s, want %s: %s", id, g.Status, w, g.Summary)
		}
	}
	if r.run.Stats.Logins != 1 || r.run.Stats.CodesMinted < 8 {
		t.Errorf("stats %+v: want one login and a code per probe", r.run.Stats)
	}
}
