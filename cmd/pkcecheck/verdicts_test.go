package main

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// TestVendorErrorCodesOneFailure: one defect, one failure. A provider that
// refuses every bad token request with HTTP 403 and a vendor code (or a
// non-JSON body), issuing no tokens, fails only rfc6749.error-response
// under error_codes: lenient, whose summary names what was seen and where;
// under strict it fails more, and each of those failures says the request
// was refused and only the code was wrong.
func TestVendorErrorCodesOneFailure(t *testing.T) {
	for _, v := range []struct{ flaw, seen string }{
		{"vendor-error-403", "HTTP 403 access_denied_vendor"},
		{"vendor-error-403-text", "HTTP 403 and no JSON error"},
	} {
		t.Run(v.flaw+"/lenient", func(t *testing.T) {
			r := pkcecheck(t, nil, "demo", "--flaws", v.flaw, "--policy-error-codes", "lenient")
			if r.run == nil {
				t.Fatalf("no results.json (exit %d): %s", r.code, r.stderr)
			}
			if r.code != exitFailed {
				t.Errorf("exit %d, want %d", r.code, exitFailed)
			}
			for _, res := range r.run.Results {
				failed := res.Status == results.Fail || res.Status == results.Error
				switch {
				case res.ID == string(requirements.ErrorResponse):
					if res.Status != results.Fail {
						t.Errorf("%s: %s, want fail: %s", res.ID, res.Status, res.Summary)
					}
					for _, want := range []string{v.seen + " on ", string(requirements.VerifierMismatch), "HTTP 403, want 400"} {
						if !strings.Contains(res.Summary, want) {
							t.Errorf("%s summary lacks %q: %s", res.ID, want, res.Summary)
						}
					}
				case failed || res.Status == results.Warn:
					t.Errorf("%s: %s under lenient error codes (one defect, one failure): %s", res.ID, res.Status, res.Summary)
				}
			}
		})
		t.Run(v.flaw+"/strict", func(t *testing.T) {
			r := pkcecheck(t, nil, "demo", "--flaws", v.flaw)
			if r.run == nil {
				t.Fatalf("no results.json (exit %d): %s", r.code, r.stderr)
			}
			var others []string
			for _, res := range r.run.Results {
				if res.ID == string(requirements.ErrorResponse) || (res.Status != results.Fail && res.Status != results.Warn) {
					continue
				}
				others = append(others, res.ID)
				if strings.Contains(res.Summary, "tokens issued") || !strings.Contains(res.Summary, "refused (no tokens), but ") {
					t.Errorf("%s: %s does not say the request was refused: %s", res.ID, res.Status, res.Summary)
				}
				if res.Status == results.Fail && !strings.Contains(res.Summary, "only the code was wrong") {
					t.Errorf("%s: does not say only the code was wrong: %s", res.ID, res.Summary)
				}
			}
			if len(others) < 3 {
				t.Errorf("under strict error codes only %v fail beside error-response, want the probes that need invalid_grant too", others)
			}
			t.Logf("strict: also %s", strings.Join(others, ", "))
		})
	}
}
