package suites

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/pkcecheck/pkcecheck/requirements"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// bindingSpecs labels the specs of this file.
var bindingSpecs = declareSpecs(requirements.VerifierSwapped, requirements.MethodBound, requirements.FailedVerifierBurnsCode)

// registerBinding registers the checks that the challenge and its method are
// bound to the code they were sent with (RFC 7636 §4.4, §4.5), and measures
// whether a failed verifier consumes the code.
func registerBinding(t *Target) {
	ginkgo.Describe("challenge bound to its code", func() {
		ginkgo.It("refuses the verifier of another live flow of the same client", bindingSpecs.label(requirements.VerifierSwapped), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			// Both flows are live and unredeemed when the swapped verifier
			// is sent: a server that looks the verifier up among the
			// client's open challenges, not the code's, accepts it.
			p1, p2 := newPair(43), newPair(43)
			code1 := t.mustCode(ctx, pub, s256(p1))
			code2 := t.mustCode(ctx, pub, s256(p2))
			t.expectRejected(t.redeem(ctx, "code 1 with the verifier of code 2", pub, code1, &p2.Verifier), invalidGrant)
			if r := t.redeem(ctx, "code 2 with its own verifier", pub, code2, &p2.Verifier); !r.Issued() {
				harnessError("the second flow's code was refused with its own verifier (%s); the swap cannot be judged", answer(r))
			}
		})

		ginkgo.It("refuses the S256 challenge itself sent as the verifier", bindingSpecs.label(requirements.MethodBound), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			// The challenge is 43 unreserved characters: a well-formed
			// verifier, so only a plain comparison would accept it.
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			t.expectRejected(t.redeem(ctx, "challenge as code_verifier", pub, code, &pair.Challenge), invalidGrant)
		})

		ginkgo.It("ignores code_challenge_method=plain at the token endpoint", bindingSpecs.label(requirements.MethodBound), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			// RFC 6749 §3.2: unknown token parameters are ignored, so the
			// client cannot switch the method it bound at /authorize.
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			r := t.redeem(ctx, "challenge as code_verifier with code_challenge_method=plain", pub, code, &pair.Challenge,
				[2]string{"code_challenge_method", pkce.MethodPlain})
			t.expectRejected(r, invalidGrant)
		})
	})

	ginkgo.Describe("a failed verifier attempt", bindingSpecs.label(requirements.FailedVerifierBurnsCode), func() {
		ginkgo.It("is recorded as burning the code or keeping it", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			wrong := newVerifier(43)
			if r := t.redeem(ctx, "wrong verifier", pub, code, &wrong); r.Issued() {
				note("not measured: the wrong verifier itself was accepted (see rfc7636.verifier-mismatch)")
				return
			}
			if r := t.redeem(ctx, "right verifier after the failed attempt", pub, code, &pair.Verifier); r.Issued() {
				note("measured: kept, the right verifier still redeemed the code after a failed attempt")
			} else {
				note("measured: burns, the right verifier was refused after a failed attempt (%s)", answer(r))
			}
		})
	})
}
