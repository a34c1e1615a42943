package suites

import (
	"context"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// responseModeSpecs labels the specs of this file.
var responseModeSpecs = declareSpecs(requirements.FormPostEnforced, requirements.FragmentEnforced)

// registerResponseModes registers PKCE on codes that come back another way
// than in the query: posted by a form (response_mode=form_post) or in the
// fragment (the hybrid flow code id_token, or response_mode=fragment). The
// server must enforce PKCE on those codes exactly as on query responses.
// Each mode runs only where the profile lists it in flows.response_modes.
func registerResponseModes(t *Target) {
	modes := []struct {
		mode  string
		label ginkgo.Labels
	}{
		{profiles.ResponseModeFormPost, responseModeSpecs.label(requirements.FormPostEnforced)},
		{profiles.ResponseModeFragment, responseModeSpecs.label(requirements.FragmentEnforced)},
	}
	for _, m := range modes {
		ginkgo.Describe("codes in "+m.mode+" responses", m.label, func() {
			probes := []struct {
				name     string
				verifier func(pkce.Pair) *string
				issued   bool
			}{
				{"are refused without code_verifier", func(pkce.Pair) *string { return nil }, false},
				{"are refused with a wrong code_verifier", func(pkce.Pair) *string { v := newVerifier(43); return &v }, false},
				{"are refused with the challenge as code_verifier", func(p pkce.Pair) *string { return &p.Challenge }, false},
				{"are redeemed with the right code_verifier", func(p pkce.Pair) *string { return &p.Verifier }, true},
			}
			for _, p := range probes {
				ginkgo.It(p.name, func(ctx ginkgo.SpecContext) {
					pub := t.Profile.Clients.Public
					pair := newPair(43)
					code := t.modeCode(ctx, pub, m.mode, pair)
					r := t.redeem(ctx, p.name, pub, code, p.verifier(pair))
					if p.issued {
						expectIssued(r, "the right verifier for a "+m.mode+" code")
						return
					}
					t.expectRejected(r, invalidRequestOrGrant)
				})
			}
		})
	}
}

// modeCode mints a code for c delivered in response mode mode (form_post
// or fragment). It skips the spec when the profile does not offer the mode,
// and fails it with status error when no code came that way.
func (t *Target) modeCode(ctx context.Context, c *profiles.Client, mode string, pair pkce.Pair) string {
	if !t.Profile.Flows.Has(mode) {
		ginkgo.Skip(fmt.Sprintf("the profile does not list %s in flows.response_modes", mode))
	}
	ar := s256(pair)
	switch {
	case mode == profiles.ResponseModeFragment && t.offersHybrid() && slices.Contains(c.Scopes, "openid"):
		// The hybrid flow answers in the fragment by default.
		// (authz.NewRequest sends a nonce with the openid scope.)
		ar.ResponseType = "code id_token"
		note("fragment response asked for with response_type=code id_token")
	default:
		ar.Raw = form.Params{{"response_mode", mode}}
	}
	r := t.authorize(ctx, c, ar)
	if r.Code == "" {
		harnessError("no code for a valid %s request (%s)", mode, outcome(r))
	}
	want := authz.ModeFormPost
	if mode == profiles.ResponseModeFragment {
		want = authz.ModeFragment
	}
	if r.Mode != want {
		harnessError("asked for a %s response, the code came in the %s", mode, r.Mode)
	}
	return r.Code
}

// offersHybrid reports whether the metadata lists response_type
// "code id_token".
func (t *Target) offersHybrid() bool {
	if t.Metadata == nil {
		return false
	}
	list, _ := t.Metadata.Raw["response_types_supported"].([]any)
	for _, v := range list {
		if s, _ := v.(string); s == "code id_token" {
			return true
		}
	}
	return false
}
