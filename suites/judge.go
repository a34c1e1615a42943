package suites

import (
	"context"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// Error codes a rejection may carry.
var (
	// invalidGrant: RFC 7636 §4.6 says invalid_grant; a lenient policy also
	// takes invalid_request.
	invalidGrant = []string{"invalid_grant"}
	// invalidRequestOrGrant: a missing, empty or malformed verifier is an invalid
	// request (RFC 6749 §5.2) or, as several servers answer, invalid_grant.
	invalidRequestOrGrant = []string{"invalid_request", "invalid_grant"}
)

// allowed widens codes under `error_codes: lenient`.
func (t *Target) allowed(codes []string) []string {
	if t.Profile.Policy.ErrorCodes == profiles.ErrorCodesLenient && contains(codes, "invalid_grant") && !contains(codes, "invalid_request") {
		return append(append([]string(nil), codes...), "invalid_request")
	}
	return codes
}

// expectIssued fails the spec unless the token endpoint issued tokens.
func expectIssued(r *tokenclient.Response, what string) {
	if !r.Issued() {
		ginkgo.Fail(fmt.Sprintf("%s was refused: %s", what, answer(r)), 1)
	}
}

// expectRejected fails the spec if tokens were issued, or if the error code
// is not one of codes. A rejection without an OAuth error body is accepted
// here (no tokens); rfc6749.error-response judges the format.
func (t *Target) expectRejected(r *tokenclient.Response, codes []string) {
	if r.Issued() {
		ginkgo.Fail(fmt.Sprintf("tokens issued (HTTP %d)", r.Status), 1)
	}
	codes = t.allowed(codes)
	if r.Err != nil && !contains(codes, r.Err.Code) {
		ginkgo.Fail(fmt.Sprintf("refused with %s, want %s", r.Err.Code, strings.Join(codes, " or ")), 1)
	}
	if r.Err == nil && t.Profile.Policy.ErrorCodes == profiles.ErrorCodesStrict {
		ginkgo.Fail(fmt.Sprintf("refused with HTTP %d but no error code, want %s", r.Status, strings.Join(codes, " or ")), 1)
	}
}

// answer describes a token response in a few words.
func answer(r *tokenclient.Response) string {
	if r.Err != nil {
		return fmt.Sprintf("HTTP %d %s", r.Status, r.Err.Code)
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expectAuthzRefused judges an authorization request the server must refuse
// (RFC 6749 §4.1.2.1, RFC 7636 §4.4.1). It fails the spec when a code was
// issued, when the error redirect does not echo state, or when its error is
// not one of codes under strict error codes. An error page instead of a
// redirect passes with a note: safe, though not what §4.1.2.1 asks.
func (t *Target) expectAuthzRefused(r *authz.Response, codes []string) {
	switch {
	case r.Code != "":
		ginkgo.Fail("a code was issued", 1)
	case r.ErrorPage:
		note("an error page (HTTP %d) instead of an error redirect", r.Status)
	case r.Error == "":
		ginkgo.Fail("redirected without a code or an error", 1)
	case r.State != r.SentState:
		ginkgo.Fail(fmt.Sprintf("the error redirect (error=%s) does not echo state", r.Error), 1)
	case t.Profile.Policy.ErrorCodes == profiles.ErrorCodesStrict && !contains(codes, r.Error):
		ginkgo.Fail(fmt.Sprintf("refused with error=%s, want %s", r.Error, strings.Join(codes, " or ")), 1)
	}
}

// expectStillBound checks that a failed verifier attempt does not unbind a
// code from its challenge: after a wrong verifier, a request without any
// code_verifier on the same code must not get tokens either. (Ory fosite
// deleted a code's PKCE session before checking the verifier, so the retry
// redeemed it for confidential clients: ory/fosite#883.)
func (t *Target) expectStillBound(ctx context.Context, c *profiles.Client) {
	pair := newPair(43)
	code := t.mustCode(ctx, c, s256(pair))
	wrong := changeAt(pair.Verifier, len(pair.Verifier)-1)
	if r := t.redeem(ctx, "wrong code_verifier", c, code, &wrong); r.Issued() {
		ginkgo.Fail(fmt.Sprintf("tokens issued for a wrong verifier (HTTP %d)", r.Status), 1)
	}
	if r := t.redeem(ctx, "then no code_verifier, same code", c, code, nil); r.Issued() {
		ginkgo.Fail(fmt.Sprintf("after a failed attempt, the code was redeemed without code_verifier (HTTP %d): the failure unbound PKCE", r.Status), 1)
	}
}
