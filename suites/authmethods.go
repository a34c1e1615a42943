package suites

import (
	"fmt"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// authPair is one client authenticating with one of its methods.
type authPair struct {
	role   string // "public", "confidential", "extra[1]"
	client *profiles.Client
}

// authPairs lists every (client, authentication method) of the profile:
// the public client, the confidential client with each of its auth_methods,
// and each extra client with each of its methods. Each pair is a copy of
// its client with AuthMethod set to the method.
func authPairs(p *profiles.Profile) []authPair {
	return pairsOf(p.EachMethod())
}

// authMethodsSpecs labels the specs of this file.
var authMethodsSpecs = declareSpecs(requirements.PKCEPerAuthMethod)

// registerAuthMethods registers rfc9700.pkce-per-auth-method. Servers run
// the PKCE checks in each client-authentication code path (Spring
// Authorization Server has one per authentication provider), so a bug in
// one path is invisible to probes that authenticate another way: for every
// client and method of the profile, the code is redeemed only with its
// right verifier (RFC 9700 §2.1.1), and a verifier for a code issued
// without a challenge is refused (§4.8.2).
func registerAuthMethods(t *Target) {
	ginkgo.Describe("PKCE under each client authentication method", authMethodsSpecs.label(requirements.PKCEPerAuthMethod), func() {
		ginkgo.It("covers the methods the metadata advertises", func() {
			covered := map[string]bool{}
			for _, p := range authPairs(t.Profile) {
				covered[p.client.AuthMethod] = true
			}
			var have []string
			for m := range covered {
				have = append(have, m)
			}
			sort.Strings(have)
			note("checked: %s", strings.Join(have, ", "))
			if t.Metadata == nil {
				return
			}
			var missing []string
			for _, m := range t.Metadata.TokenEndpointAuthMethodsSupported {
				if !covered[m] {
					missing = append(missing, m)
				}
			}
			if len(missing) > 0 {
				note("advertised but not checked (no client of the profile uses them): %s", strings.Join(missing, ", "))
			}
		})
		for _, p := range authPairs(t.Profile) {
			name := fmt.Sprintf("%s client %s (%s)", p.role, p.client.ID, p.client.AuthMethod)
			c := p.client
			ginkgo.It("redeems with the right verifier: "+name, func(ctx ginkgo.SpecContext) {
				pair := newPair(43)
				code := t.mustCode(ctx, c, s256(pair))
				if r := t.redeem(ctx, name+", right verifier", c, code, &pair.Verifier); !r.Issued() {
					harnessError("%s: the right verifier was refused (%s); check the client's credentials in the profile", name, answer(r))
				}
			})
			ginkgo.It("refuses a token request without code_verifier: "+name, func(ctx ginkgo.SpecContext) {
				code := t.mustCode(ctx, c, s256(newPair(43)))
				t.expectRejected(t.redeem(ctx, name+", no code_verifier", c, code, nil), invalidRequestOrGrant)
			})
			ginkgo.It("refuses a wrong code_verifier: "+name, func(ctx ginkgo.SpecContext) {
				pair := newPair(43)
				code := t.mustCode(ctx, c, s256(pair))
				wrong := changeAt(pair.Verifier, len(pair.Verifier)-1)
				t.expectRejected(t.redeem(ctx, name+", wrong code_verifier", c, code, &wrong), invalidGrant)
			})
			ginkgo.It("refuses a verifier for a code issued without a challenge: "+name, func(ctx ginkgo.SpecContext) {
				resp := t.authorize(ctx, c, authRequest{})
				if resp.Code == "" {
					note("%s: no code without a challenge (%s)", name, outcome(resp))
					return
				}
				v := newVerifier(43)
				t.expectRejected(t.redeem(ctx, name+", verifier for a challenge-less code", c, resp.Code, &v), downgradeCodes)
			})
		}
	})
}
