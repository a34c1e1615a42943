package suites

import (
	"github.com/pkcecheck/pkcecheck/results"
)

// Register adds every spec group to Ginkgo's tree for target t and routes
// the spec outcomes to t's results. Call it once, before RunSpecs.
func Register(t *Target) {
	t.recorder = newRecorder()
	t.recorder.script = contextOf(t)
	installRecorder(t.recorder)
	registerLifetimeStart(t)          // lifetime.go: the code that waits, minted first
	registerVerifier(t)               // verifier.go: round trip, missing, empty, mismatch, length, charset
	registerPlain(t)                  // plain.go: plain-policy
	registerCode(t)                   // code.go: single use, reuse revokes, race, client and redirect_uri binding
	registerRaceMixed(t)              // racemixed.go: concurrent redemptions with right, wrong and missing verifiers
	registerRefresh(t)                // refresh.go: refresh after PKCE, a replay revokes refresh tokens
	registerResponseModes(t)          // responsemode.go: PKCE on form_post and fragment codes
	registerBinding(t)                // binding.go: verifier-swapped, method-bound, info.failed-verifier-burns-code
	registerErrors(t)                 // errors.go: error-response, no-store
	registerHygiene(t)                // hygiene.go: error-charset, redirect-keeps-query
	registerDowngrade(t)              // downgrade.go: rfc9700 downgrade and confidential-pkce
	registerAuthorize(t)              // authorize.go: challenge-missing/-format, method-unsupported/-default, duplicate-params, info.error-iss
	registerMetadata(t)               // metadata.go: rfc8414.methods-advertised
	registerMethodWithoutChallenge(t) // methodonly.go: rfc7636.method-without-challenge
	registerOAuth21(t)                // oauth21.go: method-required, plain-prohibited, iss-required, challenge-not-echoed
	registerAuthMethods(t)            // authmethods.go: rfc9700.pkce-per-auth-method
	registerPAR(t)                    // par.go: rfc9126 PKCE with pushed authorization requests
	registerLifetimeEnd(t)            // lifetime.go: redeemed last, once older than max_code_age
}

// Results returns one result per requirement that had specs, in catalogue
// order. Call it after the specs ran.
func (t *Target) Results() []results.Result {
	if t.recorder == nil {
		return nil
	}
	return t.recorder.results()
}
