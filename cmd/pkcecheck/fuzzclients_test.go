package main

import (
	"strings"
	"testing"
	"time"
)

// TestFuzzDurationAndClients: --duration ends a campaign whose budget is
// far out of reach, findings.json says so, every client and method of the
// demo profile was fuzzed within the time, and a flaw that shows for the
// confidential client only is found with it, named in the finding, under
// rfc9700.pkce-per-auth-method.
func TestFuzzDurationAndClients(t *testing.T) {
	start := time.Now()
	r := pkcecheck(t, nil, "fuzz", "--demo", "--seed", "3", "--budget", "1000000", "--duration", "2s", "--flaws", "confidential-skips-pkce")
	elapsed := time.Since(start)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	doc := readFindings(t, r.out)
	if !strings.Contains(doc.Stopped, "the time limit came first") || !strings.Contains(r.stdout, "stopped early") {
		t.Errorf("stopped %q; summary:\n%s", doc.Stopped, r.stdout)
	}
	if len(doc.Clients) != 4 || doc.Stats.TokenCases == 0 {
		t.Errorf("clients %v, %d token cases", doc.Clients, doc.Stats.TokenCases)
	}
	if elapsed > 2*time.Minute {
		t.Errorf("took %v with --duration 2s", elapsed)
	}
	found := false
	for _, f := range doc.Findings {
		if !strings.HasPrefix(f.Client, "confidential client demo-confidential (") || f.Requirement != "rfc9700.pkce-per-auth-method" {
			t.Errorf("finding %s: client %q, requirement %s; the flaw shows for the confidential client only", f.Group, f.Client, f.Requirement)
		}
		found = true
	}
	if !found {
		t.Errorf("no finding for the confidential client\nstdout:\n%s", r.stdout)
	}
}
