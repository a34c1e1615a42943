package suites

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/pkcecheck/pkcecheck/requirements"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// plainSpecs labels the specs of this file.
var plainSpecs = declareSpecs(requirements.PlainPolicy)

// registerPlain registers rfc7636.plain-policy: plain is accepted only where
// the policy allows it, and where it is accepted only the exact verifier
// redeems the code. A server may refuse plain even where it is allowed.
func registerPlain(t *Target) {
	ginkgo.Describe("the plain method", plainSpecs.label(requirements.PlainPolicy), func() {
		ginkgo.It("is refused, or verified exactly, according to the policy", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			v := newVerifier(64)
			resp := t.authorize(ctx, pub, authRequest{Challenge: v, Method: pkce.MethodPlain})
			if resp.Code == "" {
				note("plain refused at /authorize (%s)", outcome(resp))
				return
			}
			if t.Profile.Policy.Plain != profiles.PlainAllowed {
				r := t.redeem(ctx, "plain verifier", pub, resp.Code, &v)
				if r.Issued() {
					ginkgo.Fail("plain accepted: a code issued for a plain challenge was redeemed, but the policy forbids plain")
				}
				note("a code was issued for a plain challenge but not redeemed (%s)", answer(r))
				return
			}
			wrong := changeAt(v, len(v)-1)
			t.expectRejected(t.redeem(ctx, "wrong plain verifier", pub, resp.Code, &wrong), invalidGrant)
			code := t.mustCode(ctx, pub, authRequest{Challenge: v, Method: pkce.MethodPlain})
			expectIssued(t.redeem(ctx, "right plain verifier", pub, code, &v), "the right plain verifier")
		})
	})
}
