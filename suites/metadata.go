package suites

import (
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// metadataSpecs labels the specs of this file.
var metadataSpecs = declareSpecs(requirements.MethodsAdvertised)

// registerMetadata registers rfc8414.methods-advertised: the metadata's
// code_challenge_methods_supported lists S256 (RFC 9700 §2.1.1), and the
// authorization endpoint agrees with it: no method the list leaves out is
// honoured (fail), and an advertised one that is refused is a warning.
// Only S256 and plain are probed; unknown methods are method-unsupported's.
func registerMetadata(t *Target) {
	ginkgo.Describe("code_challenge_methods_supported", metadataSpecs.label(requirements.MethodsAdvertised), func() {
		ginkgo.It("is published and lists S256", func() {
			if t.Metadata != nil {
				evidence("metadata", "GET "+t.Redactor.URL(t.Metadata.Source), methodsField(t))
			}
			switch {
			case t.Metadata == nil:
				warnf("no metadata document, so clients cannot detect PKCE support (RFC 8414 §2)")
			case !t.Metadata.HasCodeChallengeMethods:
				warnf("the metadata has no code_challenge_methods_supported (RFC 8414 §2: omitted means no PKCE)")
			case !advertises(t, pkce.MethodS256):
				ginkgo.Fail(fmt.Sprintf("code_challenge_methods_supported [%s] does not list S256", strings.Join(t.Metadata.CodeChallengeMethodsSupported, ", ")))
			}
			note("%s", methodsField(t))
		})

		ginkgo.It("agrees with /authorize for S256", func(ctx ginkgo.SpecContext) {
			if !advertises(t, pkce.MethodS256) {
				ginkgo.Skip("S256 is not advertised (judged by the metadata spec)")
			}
			resp := t.authorize(ctx, t.Profile.Clients.Public, s256(newPair(43)))
			if resp.Code == "" {
				warnf("S256 is advertised but refused at /authorize (%s)", outcome(resp))
			}
		})

		ginkgo.It("agrees with /authorize for plain", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			v := newVerifier(64)
			resp := t.authorize(ctx, pub, authRequest{Challenge: v, Method: pkce.MethodPlain})
			listed := advertises(t, pkce.MethodPlain)
			if resp.Code == "" {
				if listed {
					warnf("plain is advertised but refused at /authorize (%s)", outcome(resp))
				}
				return
			}
			if listed {
				return
			}
			if t.Metadata == nil || !t.Metadata.HasCodeChallengeMethods {
				note("plain is accepted at /authorize; no code_challenge_methods_supported to compare with")
				return
			}
			r := t.redeem(ctx, "plain verifier", pub, resp.Code, &v)
			if r.Issued() {
				failAs(gravityTokens, "plain accepted but not advertised: a plain code was redeemed with its verifier")
			}
			warnf("a code was issued for plain, which the metadata leaves out (the plain verifier was refused: %s)", answer(r))
		})
	})
}

// advertises reports whether the metadata lists method.
func advertises(t *Target, method string) bool {
	return t.Metadata != nil && contains(t.Metadata.CodeChallengeMethodsSupported, method)
}

// methodsField renders code_challenge_methods_supported as evidence.
func methodsField(t *Target) string {
	if !t.Metadata.HasCodeChallengeMethods {
		return "code_challenge_methods_supported: absent"
	}
	return "code_challenge_methods_supported: [" + strings.Join(t.Metadata.CodeChallengeMethodsSupported, ", ") + "]"
}
