package suites

import (
	"context"

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
// Where the policy forbids plain, plain left implicit counts too: a challenge
// without code_challenge_method means plain (RFC 7636 §4.3), so its plain
// verifier must not redeem its code either (rfc7636.method-default judges
// only how the omitted method is read).
func registerPlain(t *Target) {
	ginkgo.Describe("the plain method", plainSpecs.label(requirements.PlainPolicy), func() {
		ginkgo.It("is refused, or verified exactly, according to the policy", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			forbidden := t.Profile.Policy.Plain != profiles.PlainAllowed
			v := newVerifier(64)
			resp := t.authorize(ctx, pub, authRequest{Challenge: v, Method: pkce.MethodPlain})
			if resp.Code == "" {
				if forbidden {
					implicitPlainRefused(ctx, t)
				}
				note("plain refused at /authorize (%s)", outcome(resp))
				return
			}
			if forbidden {
				r := t.redeem(ctx, "plain verifier", pub, resp.Code, &v)
				if r.Issued() {
					failAs(gravityTokens, "plain accepted: a code issued for a plain challenge was redeemed, but the policy forbids plain")
				}
				implicitPlainRefused(ctx, t)
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

// implicitPlainRefused fails the spec when a challenge without
// code_challenge_method (plain by RFC 7636 §4.3), 64 characters and so
// valid only as plain, gets a code that the challenge itself redeems: plain
// applied although the policy forbids it.
func implicitPlainRefused(ctx context.Context, t *Target) {
	pub := t.Profile.Clients.Public
	v := newVerifier(64)
	resp := t.authorize(ctx, pub, authRequest{Challenge: v})
	if resp.Code == "" {
		return
	}
	if t.redeem(ctx, "plain verifier of a challenge without method", pub, resp.Code, &v).Issued() {
		failAs(gravityTokens, "plain accepted where left implicit: a code issued for a challenge without code_challenge_method (which means plain) was redeemed by the challenge itself, but the policy forbids plain")
	}
}
