package suites

import (
	"context"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// refreshSpecs labels the specs of this file.
var refreshSpecs = declareSpecs(requirements.RefreshAfterPKCE, requirements.ReplayRevokesRefresh)

// registerRefresh registers the refresh token rules of OAuth 2.1 §4.1.3
// and §4.3, for each client of the profile (servers issue refresh tokens
// per client, and the refresh grant authenticates the client): a refresh
// after a PKCE exchange needs no code_verifier (the binding ended with the
// code), and a replayed code revokes the refresh tokens it led to, rotated
// ones included. A client the server gives no refresh token is skipped.
func registerRefresh(t *Target) {
	ginkgo.Describe("refresh tokens", func() {
		for _, cp := range profileClients(t.Profile) {
			ginkgo.It("work after a PKCE exchange, without a code_verifier: "+cp.name(), refreshSpecs.label(requirements.RefreshAfterPKCE), func(ctx ginkgo.SpecContext) {
				rt := t.mustRefreshToken(ctx, cp, nil)
				r := t.exchange(ctx, cp.name()+", refresh without code_verifier", tokenclient.RefreshRequest(clientAuth(cp.client), rt))
				expectIssued(r, "a refresh with the refresh token of a PKCE exchange")
			})

			ginkgo.It("stop working once the code they came from is replayed: "+cp.name(), refreshSpecs.label(requirements.ReplayRevokesRefresh), func(ctx ginkgo.SpecContext) {
				c := cp.client
				var replay func()
				rt := t.mustRefreshToken(ctx, cp, &replay)
				// One refresh first: with rotation, the live token is then one
				// the code never returned itself.
				// (A refused refresh is judged by rfc6749.refresh-after-pkce;
				// the code's own refresh token is then the one to check.)
				r := t.exchange(ctx, cp.name()+", refresh before the replay", tokenclient.RefreshRequest(clientAuth(c), rt))
				switch next := r.RefreshToken(); {
				case !r.Issued():
					note("%s: the refresh before the replay was refused (%s)", cp.name(), answer(r))
				case next == "":
					note("%s: the refresh returned no new refresh token; the code's own one is checked", cp.name())
				case next == rt:
					note("%s: the refresh returned the same refresh token (not rotated)", cp.name())
				default:
					rt = next
					note("%s: the refresh returned a new refresh token (rotated); the new one is checked", cp.name())
				}
				replay()
				r = t.exchange(ctx, cp.name()+", refresh after the replay", tokenclient.RefreshRequest(clientAuth(c), rt))
				if r.Issued() {
					warnf("the latest refresh token of the replayed code still works (HTTP %d)", r.Status)
				}
			})
		}
	})
}

// mustRefreshToken redeems a fresh PKCE code for cp's client and returns
// the refresh token it gave; it skips the spec for this client when none
// came, or when the token endpoint cannot authenticate the client. replay,
// when not nil, is set to a func that redeems the same code again (judged
// elsewhere).
func (t *Target) mustRefreshToken(ctx context.Context, cp authPair, replay *func()) string {
	first, pc := t.redeemRight(ctx, cp, "redemption with the right verifier")
	if !first.Issued() {
		harnessError("the redemption with the right verifier was refused (%s); refresh cannot be checked", answer(first))
	}
	rt := first.RefreshToken()
	if rt == "" {
		skipClientBecause(cp, "the token response has no refresh_token (the server may issue them only to some clients, or only for a scope such as offline_access)")
	}
	if replay != nil {
		*replay = func() { t.redeem(ctx, cp.name()+", replay of the code", cp.client, pc.code, &pc.verifier) }
	}
	return rt
}
