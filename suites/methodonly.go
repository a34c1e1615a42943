package suites

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// methodOnlySpecs labels the specs of this file.
var methodOnlySpecs = declareSpecs(requirements.MethodWithoutChallenge)

// registerMethodWithoutChallenge: rfc7636.method-without-challenge
// (SHOULD). A code_challenge_method without a code_challenge (absent, or
// empty, which RFC 6749 §3.1 counts as absent) is a malformed PKCE request
// (RFC 7636 §4.3 makes the challenge REQUIRED whenever PKCE is used), so it
// is refused with invalid_request for every client, also where PKCE is
// optional: a server that issues a code without PKCE instead has silently
// dropped the protection the client asked for.
func registerMethodWithoutChallenge(t *Target) {
	clients := publicAndConfidential(t)
	variants := []struct {
		name string
		req  authRequest
	}{
		{"code_challenge_method=S256 without code_challenge", authRequest{Method: pkce.MethodS256}},
		{"code_challenge_method=S256 with an empty code_challenge", authRequest{Method: pkce.MethodS256, Raw: form.Params{{"code_challenge", ""}}}},
	}
	ginkgo.Describe("a method without a challenge", methodOnlySpecs.label(requirements.MethodWithoutChallenge), func() {
		for _, cl := range clients {
			for _, v := range variants {
				ginkgo.It("is refused for the "+cl.role+" client: "+v.name, func(ctx ginkgo.SpecContext) {
					c := cl.client()
					resp := t.authorize(ctx, c, v.req)
					if resp.Code != "" {
						how := "redeemable without code_verifier: the code has no PKCE"
						if r := t.redeem(ctx, "no code_verifier", c, resp.Code, nil); !r.Issued() {
							how = "not redeemable without code_verifier (" + answer(r) + ")"
						}
						failAs(gravityCode, fmt.Sprintf("the %s client got a code for %s (%s)", cl.role, v.name, how))
					}
					t.expectAuthzRefused(resp, authzInvalidRequest)
				})
			}
		}
	})
}
