package suites

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// TestSummaryListsEveryProbeMostSevereFirst: a summary names every probe
// that did not pass, failures by gravity (tokens, code, other, form), then
// errors, warnings and skips; a warning is not lost beside a failure.
func TestSummaryListsEveryProbeMostSevereFirst(t *testing.T) {
	req, _ := requirements.Lookup(requirements.ErrorResponse)
	outs := []specOutcome{
		{text: "passing", status: results.Pass},
		{text: "warned", status: results.Warn, msg: "no WWW-Authenticate", gravity: gravityOther},
		{text: "wrong code", status: results.Fail, msg: "refused (no tokens), but with HTTP 403 x", gravity: gravityForm},
		{text: "skipped", status: results.Skip, msg: "no confidential client"},
		{text: "tokens", status: results.Fail, msg: "tokens issued (HTTP 200)", gravity: gravityTokens},
		{text: "broken", status: results.Error, msg: "no answer"},
		{text: "code", status: results.Fail, msg: "a code was issued", gravity: gravityCode},
	}
	res := resultOf(req, outs)
	if res.Status != results.Fail {
		t.Fatalf("status %s, want fail", res.Status)
	}
	want := []string{
		"3 of 7 probes failed: tokens: tokens issued", "code: a code was issued", "wrong code: refused (no tokens)",
		"1 could not run: broken: no answer", "1 warned: warned: no WWW-Authenticate", "1 skipped: skipped: no confidential client",
	}
	at := -1
	for _, w := range want {
		i := strings.Index(res.Summary, w)
		if i < 0 {
			t.Fatalf("summary lacks %q: %s", w, res.Summary)
		}
		if i < at {
			t.Errorf("%q out of order: %s", w, res.Summary)
		}
		at = i
	}
	if strings.Contains(res.Summary, "passing") {
		t.Errorf("a passing probe is listed: %s", res.Summary)
	}
}

// TestDeferredRefusals: refusals accepted under lenient error codes reach
// rfc6749.error-response, failing it when one departs from RFC 6749 §5.2
// and naming what was seen and where; only when error-response ran.
func TestDeferredRefusals(t *testing.T) {
	rec := newRecorder()
	rec.deferred = []deferredRefusal{
		{requirements.VerifierMismatch, "HTTP 403 access_denied_vendor", []string{"HTTP 403, want 400 (401 only for invalid_client)"}},
		{requirements.VerifierLength, "HTTP 403 access_denied_vendor", []string{"HTTP 403, want 400 (401 only for invalid_client)"}},
		{requirements.VerifierMissing, "HTTP 400 unauthorized_client", nil},
	}
	if outs := rec.outcomesOf(requirements.ErrorResponse); len(outs) != 0 {
		t.Fatalf("error-response did not run, yet it has outcomes %+v", outs)
	}
	rec.outcomes[requirements.ErrorResponse] = []specOutcome{{text: "own probe", status: results.Pass}}
	req, _ := requirements.Lookup(requirements.ErrorResponse)
	res := resultOf(req, rec.outcomesOf(requirements.ErrorResponse))
	if res.Status != results.Fail {
		t.Fatalf("status %s, want fail: %s", res.Status, res.Summary)
	}
	for _, w := range []string{"HTTP 403 access_denied_vendor on 2 probe(s) of rfc7636.verifier-length, rfc7636.verifier-mismatch", "HTTP 400 unauthorized_client on 1 probe(s) of rfc7636.verifier-missing"} {
		if !strings.Contains(res.Summary, w) {
			t.Errorf("summary lacks %q: %s", w, res.Summary)
		}
	}
	rec.deferred = rec.deferred[2:]
	res = resultOf(req, rec.outcomesOf(requirements.ErrorResponse))
	if res.Status != results.Pass || !strings.Contains(res.Summary, "unauthorized_client") {
		t.Errorf("a registered code other than the one asked for: %s %s, want pass with a note", res.Status, res.Summary)
	}
}
