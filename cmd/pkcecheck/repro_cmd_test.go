package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/results"
)

// TestReproCommand: pkcecheck repro prints a requirement's reproducer from
// an earlier run's results.json, or a Markdown bug report around it, and
// refuses with exit 2 an unknown ID, a requirement that passed, one
// without a reproducer and a directory without results.
func TestReproCommand(t *testing.T) {
	script := "#!/bin/sh\nset -eu\n: \"${CODE:?run pkcecheck code}\"\ncurl -sS -i -X POST https://idp.example/token --data-urlencode \"code=$CODE\"\n"
	run := results.Run{
		Tool: results.Tool{Name: "pkcecheck", Version: "test"}, Target: results.Target{Name: "idp", Issuer: "https://idp.example"},
		Policy: results.Policy{PKCERequired: "public", Plain: "forbidden", ErrorCodes: "strict"},
		Results: []results.Result{
			{ID: "rfc7636.verifier-mismatch", Source: "RFC 7636 §4.6", Level: "MUST", Status: results.Fail, Summary: "tokens issued (HTTP 200)", Reproducer: script},
			{ID: "rfc7636.s256-roundtrip", Source: "RFC 7636 §4.2, §4.6", Level: "MUST", Status: results.Pass, Summary: "ok"},
			{ID: "rfc6749.no-store", Source: "RFC 6749 §5.1", Level: "MUST", Status: results.Fail, Summary: "no Cache-Control"},
		},
	}
	dir := t.TempDir()
	data, _ := json.Marshal(run)
	if err := os.WriteFile(filepath.Join(dir, "results.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := pkcecheck(t, nil, "repro", "--results", dir, "rfc7636.verifier-mismatch")
	if r.code != 0 || r.stdout != script {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = pkcecheck(t, nil, "repro", "rfc7636.verifier-mismatch", "--markdown", "--results", dir)
	for _, want := range []string{"`rfc7636.verifier-mismatch`", "**Requirement:** rfc7636.verifier-mismatch (MUST)",
		"[RFC 7636 §4.6](https://www.rfc-editor.org/rfc/rfc7636#section-4.6)", "**Expected:** Reject a verifier that does not match",
		"**Observed:** fail: tokens issued (HTTP 200)", "```sh\n" + script + "```\n"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("--markdown (exit %d) lacks %q:\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
	for _, c := range []struct{ args []string }{
		{[]string{"rfc7636.s256-roundtrip"}},                        // passed
		{[]string{"rfc6749.no-store"}},                              // no reproducer
		{[]string{"rfc9999.nothing"}},                               // not an ID
		{[]string{"rfc6749.code-single-use"}},                       // not checked in that run
		{[]string{}},                                                // no ID
		{[]string{"rfc7636.verifier-mismatch", "rfc6749.no-store"}}, // two
	} {
		r := pkcecheck(t, nil, append([]string{"repro", "--results", dir}, c.args...)...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "pkcecheck:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, r.code, r.stdout, r.stderr)
		}
	}
	if r := pkcecheck(t, nil, "repro", "--results", t.TempDir(), "rfc7636.verifier-mismatch"); r.code != exitUsage || !strings.Contains(r.stderr, "results.json") {
		t.Errorf("no results.json: exit %d, %s", r.code, r.stderr)
	}
}
