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
	// invalidGrant: RFC 7636 §4.6 says invalid_grant; a lenient policy
	// takes any refusal.
	invalidGrant = []string{"invalid_grant"}
	// invalidRequestOrGrant: a missing, empty or malformed verifier is an invalid
	// request (RFC 6749 §5.2) or, as several servers answer, invalid_grant.
	invalidRequestOrGrant = []string{"invalid_request", "invalid_grant"}
)

// lenient reports whether the profile's policy is `error_codes: lenient`:
// wherever only a refusal is needed, any refusal counts, and the status
// and error code are judged once, by rfc6749.error-response.
func (t *Target) lenient() bool {
	return t.Profile.Policy.ErrorCodes == profiles.ErrorCodesLenient
}

// expectIssued fails the spec unless the token endpoint issued tokens.
func expectIssued(r *tokenclient.Response, what string) {
	if !r.Issued() {
		ginkgo.Fail(fmt.Sprintf("%s was refused: %s", what, answer(r)), 1)
	}
}

// expectRejected fails the spec if tokens were issued. Any answer without
// tokens is a refusal. Under `error_codes: strict` the refusal must carry
// one of codes, and the failure says that the request was refused and only
// the code was wrong; under lenient the answer is handed to
// rfc6749.error-response, which judges status and code once for the run.
func (t *Target) expectRejected(r *tokenclient.Response, codes []string) {
	if r.Issued() {
		failAs(gravityTokens, fmt.Sprintf("tokens issued (HTTP %d)", r.Status))
	}
	if t.lenient() {
		t.deferRefusal(r, codes)
		return
	}
	if r.Err != nil && contains(codes, r.Err.Code) {
		return // the code asked for (on a 5xx, the server-error rule decides)
	}
	if r.Status >= 500 {
		failAs(gravityForm, fmt.Sprintf("no tokens, but %s instead of a refusal; %s says 400 %s",
			serverErrorText(r.Status), specSource(), strings.Join(codes, " or ")))
	}
	failAs(gravityForm, fmt.Sprintf("refused (no tokens), but with %s; %s says 400 %s (only the code was wrong)",
		t.seen(r), specSource(), strings.Join(codes, " or ")))
}

// seen describes a refusal for a message: status and error code, or what
// stood in the code's place.
func (t *Target) seen(r *tokenclient.Response) string {
	switch {
	case r.Err != nil:
		return fmt.Sprintf("HTTP %d %s", r.Status, t.Redactor.String(r.Err.Code))
	case r.JSON == nil:
		return fmt.Sprintf("HTTP %d and no JSON error", r.Status)
	default:
		return fmt.Sprintf("HTTP %d and no error code", r.Status)
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
// issued or when the error redirect does not echo state; under strict
// error codes also when the redirect's error is missing or not one of
// codes, saying that the request was refused and only the code was wrong.
// An error page instead of a redirect passes with a note: safe, though not
// what §4.1.2.1 asks.
func (t *Target) expectAuthzRefused(r *authz.Response, codes []string) {
	switch {
	case r.Code != "":
		failAs(gravityCode, "a code was issued")
	case r.ErrorPage:
		note("an error page (HTTP %d) instead of an error redirect", r.Status)
	case r.Error == "" && t.lenient():
		note("refused by a redirect without a code or an error")
	case r.Error == "":
		failAs(gravityForm, fmt.Sprintf("refused (no code), but the redirect carries no error; %s says %s (only the code was missing)",
			specSource(), strings.Join(codes, " or ")))
	case r.State != r.SentState:
		ginkgo.Fail(fmt.Sprintf("the error redirect (error=%s) does not echo state", r.Error), 1)
	case !t.lenient() && !contains(codes, r.Error):
		failAs(gravityForm, fmt.Sprintf("refused (no code), but with error=%s; %s says %s (only the code was wrong)",
			r.Error, specSource(), strings.Join(codes, " or ")))
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
		failAs(gravityTokens, fmt.Sprintf("tokens issued for a wrong verifier (HTTP %d)", r.Status))
	}
	if r := t.redeem(ctx, "then no code_verifier, same code", c, code, nil); r.Issued() {
		failAs(gravityTokens, fmt.Sprintf("after a failed attempt, the code was redeemed without code_verifier (HTTP %d): the failure unbound PKCE", r.Status))
	}
}
