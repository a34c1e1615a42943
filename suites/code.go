package suites

import (
	"github.com/onsi/ginkgo/v2"
)

// registerCode registers the authorization-code rules of RFC 6749 §4.1.2.
func registerCode(t *Target) {
	ginkgo.Describe("authorization code", func() {
		ginkgo.It("cannot be redeemed twice", ginkgo.Label("rfc6749.code-single-use"), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			first := t.redeem(ctx, "first redemption", pub, code, &pair.Verifier)
			if !first.Issued() {
				harnessError("the first redemption with the right verifier was refused (%s); single use cannot be checked", answer(first))
			}
			t.expectRejected(t.redeem(ctx, "second redemption", pub, code, &pair.Verifier), invalidGrant)
		})
	})
}
