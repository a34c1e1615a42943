package fuzz

import (
	"strings"
	"testing"
)

// TestLenientRefusals: under lenient error codes any refusal without tokens
// is the refusal the oracle asks for, as in run: a 403 with a vendor code
// or a non-JSON body agrees with a Refuse expectation; tokens still
// disagree. Only the expected error text differs between the policies.
func TestLenientRefusals(t *testing.T) {
	c := Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: []string{"S256"}, Verifiers: []Value{{From: FromVerifier, Edits: []Edit{{Op: OpBump, Pos: 42}}}}}
	for _, lenient := range []bool{false, true} {
		e := Expect(c, Policy{LenientErrors: lenient})
		if e.Token != Refuse {
			t.Fatalf("lenient %t: token %s, want refuse", lenient, e.Token)
		}
		if got := strings.Contains(e.TokenError, "any refusal"); got != lenient {
			t.Errorf("lenient %t: expected error %q", lenient, e.TokenError)
		}
		if !strings.Contains(e.TokenError, "invalid_grant") {
			t.Errorf("lenient %t: expected error %q does not name invalid_grant", lenient, e.TokenError)
		}
		issued := Observation{Authorize: AuthOutcome{Issued: true}}
		for _, refusal := range []TokenOutcome{{Status: 403, Error: "access_denied_vendor"}, {Status: 403}, {Status: 400, Error: "invalid_request"}} {
			o := issued
			o.Token = &refusal
			if d := Judge(e, o); len(d) != 0 {
				t.Errorf("lenient %t: refusal %+v disagrees: %+v", lenient, refusal, d)
			}
		}
		o := issued
		o.Token = &TokenOutcome{Issued: true, Status: 200}
		if d := Judge(e, o); len(d) != 1 || d[0].Rule != RuleTokenVerifierMismatch {
			t.Errorf("lenient %t: tokens for a wrong verifier: %+v", lenient, d)
		}
	}
}
