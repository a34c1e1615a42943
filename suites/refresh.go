package suites

import (
	"context"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// refreshSpecs labels the specs of this file.
var refreshSpecs = declareSpecs(requirements.RefreshAfterPKCE, requirements.ReplayRevokesRefresh)

// registerRefresh registers the refresh token rules of OAuth 2.1 §4.1.3
// and §4.3: a refresh after a PKCE exchange needs no code_verifier (the
// binding ended with the code), and a replayed code revokes the refresh
// tokens it led to, rotated ones included. Both skip when the server issues
// no refresh token to the public client.
func registerRefresh(t *Target) {
	ginkgo.Describe("refresh tokens", func() {
		ginkgo.It("work after a PKCE exchange, without a code_verifier", refreshSpecs.label(requirements.RefreshAfterPKCE), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			rt := t.mustRefreshToken(ctx, pub, nil)
			r := t.exchange(ctx, "refresh without code_verifier", tokenclient.RefreshRequest(clientAuth(pub), rt))
			expectIssued(r, "a refresh with the refresh token of a PKCE exchange")
		})

		ginkgo.It("stop working once the code they came from is replayed", refreshSpecs.label(requirements.ReplayRevokesRefresh), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			var replay func()
			rt := t.mustRefreshToken(ctx, pub, &replay)
			// One refresh first: with rotation, the live token is then one
			// the code never returned itself.
			// (A refused refresh is judged by rfc6749.refresh-after-pkce;
			// the code's own refresh token is then the one to check.)
			r := t.exchange(ctx, "refresh before the replay", tokenclient.RefreshRequest(clientAuth(pub), rt))
			switch next := r.RefreshToken(); {
			case !r.Issued():
				note("the refresh before the replay was refused (%s)", answer(r))
			case next == "":
				note("the refresh returned no new refresh token; the code's own one is checked")
			case next == rt:
				note("the refresh returned the same refresh token (not rotated)")
			default:
				rt = next
				note("the refresh returned a new refresh token (rotated); the new one is checked")
			}
			replay()
			r = t.exchange(ctx, "refresh after the replay", tokenclient.RefreshRequest(clientAuth(pub), rt))
			if r.Issued() {
				warnf("the latest refresh token of the replayed code still works (HTTP %d)", r.Status)
			}
		})
	})
}

// mustRefreshToken redeems a fresh PKCE code for c and returns the refresh
// token it gave; it skips the spec when none came. replay, when not nil, is
// set to a func that redeems the same code again (judged elsewhere).
func (t *Target) mustRefreshToken(ctx context.Context, c *profiles.Client, replay *func()) string {
	pair := newPair(43)
	code := t.mustCode(ctx, c, s256(pair))
	first := t.redeem(ctx, "redemption with the right verifier", c, code, &pair.Verifier)
	if !first.Issued() {
		harnessError("the redemption with the right verifier was refused (%s); refresh cannot be checked", answer(first))
	}
	rt := first.RefreshToken()
	if rt == "" {
		ginkgo.Skip("the token response has no refresh_token (the server may issue them only for a scope such as offline_access)")
	}
	if replay != nil {
		*replay = func() { t.redeem(ctx, "replay of the code", c, code, &pair.Verifier) }
	}
	return rt
}
