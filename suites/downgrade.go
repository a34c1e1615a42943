package suites

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/requirements"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// downgradeCodes: OAuth 2.1 §3.2.4 names invalid_request for a verifier sent
// for a code issued without a challenge; RFC 9700 §4.8.2 only requires the
// refusal, and many servers say invalid_grant.
var downgradeCodes = []string{"invalid_request", "invalid_grant"}

// downgradeSpecs labels the specs of this file.
var downgradeSpecs = declareSpecs(requirements.Downgrade, requirements.ConfidentialPKCE)

// registerDowngrade registers RFC 9700's PKCE rules beyond RFC 7636: no
// verifier for a code issued without a challenge (§4.8.2), and PKCE enforced
// for confidential clients too (§2.1.1).
func registerDowngrade(t *Target) {
	ginkgo.Describe("PKCE downgrade", downgradeSpecs.label(requirements.Downgrade), func() {
		// A challenge-less code comes from a request without code_challenge,
		// or with an empty one (RFC 6749 §3.1 makes it the same); a server
		// may take the empty one down another path (getsentry/sentry#104418).
		for _, v := range []struct {
			role, how string
			raw       form.Params
		}{
			{"public", "without a challenge", nil},
			{"confidential", "without a challenge", nil},
			{"public", "for an empty code_challenge", form.Params{{"code_challenge", ""}}},
			{"confidential", "for an empty code_challenge", form.Params{{"code_challenge", ""}}},
		} {
			role := v.role
			ginkgo.It("refuses a verifier for a code issued "+v.how+": "+role+" client", func(ctx ginkgo.SpecContext) {
				c := t.Profile.Clients.Public
				if role == "confidential" {
					c = needClient(t.Profile.Clients.Confidential, role)
				}
				resp := t.authorize(ctx, c, authRequest{Raw: v.raw})
				if resp.Code == "" {
					// RFC 9700 §4.8.2: mandatory PKCE prevents the downgrade.
					note("%s client: no code %s (%s)", role, v.how, outcome(resp))
					return
				}
				verifier := newVerifier(43)
				r := t.redeem(ctx, role+" client, verifier for a code issued "+v.how, c, resp.Code, &verifier)
				t.expectRejected(r, downgradeCodes)
				if r.Err != nil && r.Err.Code != "invalid_request" && t.Profile.Policy.ErrorCodes == profiles.ErrorCodesStrict {
					note("refused with %s; OAuth 2.1 §3.2.4 names invalid_request", r.Err.Code)
				}
			})
		}
	})

	ginkgo.Describe("PKCE for a confidential client", downgradeSpecs.label(requirements.ConfidentialPKCE), func() {
		ginkgo.It("keeps the code bound to its challenge after a failed attempt", func(ctx ginkgo.SpecContext) {
			conf := needClient(t.Profile.Clients.Confidential, "confidential")
			t.expectStillBound(ctx, conf)
		})

		ginkgo.It("redeems its code with the right verifier (positive control)", func(ctx ginkgo.SpecContext) {
			conf := needClient(t.Profile.Clients.Confidential, "confidential")
			pair := newPair(43)
			code := t.mustCode(ctx, conf, s256(pair))
			if r := t.redeem(ctx, "confidential client, right verifier", conf, code, &pair.Verifier); !r.Issued() {
				harnessError("the confidential client's code was refused with the right verifier (%s); its PKCE checks cannot be judged", answer(r))
			}
		})

		for _, probe := range []struct {
			name     string
			verifier func(right string) *string
			codes    []string
		}{
			{"without code_verifier", func(string) *string { return nil }, invalidRequestOrGrant},
			{"with a wrong code_verifier", func(right string) *string { v := changeAt(right, len(right)-1); return &v }, invalidGrant},
		} {
			ginkgo.It("refuses a token request "+probe.name, func(ctx ginkgo.SpecContext) {
				conf := needClient(t.Profile.Clients.Confidential, "confidential")
				pair := newPair(43)
				code := t.mustCode(ctx, conf, s256(pair))
				req := tokenclient.CodeRequest(clientAuth(conf), code, conf.RedirectURI, probe.verifier(pair.Verifier))
				t.expectRejected(t.exchange(ctx, "confidential client, "+probe.name, req), probe.codes)
			})
		}
	})
}
