package suites

import (
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"mime"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// errorSpecs labels the specs of this file.
var errorSpecs = declareSpecs(requirements.ErrorResponse, requirements.NoStore)

// registerErrors registers the format of token-endpoint answers: errors per
// RFC 6749 §5.2, and Cache-Control: no-store on tokens per §5.1. The error
// codes a probe expects are judged by the probe's own requirement; here only
// the form of the answer counts.
func registerErrors(t *Target) {
	ginkgo.Describe("token error responses", errorSpecs.label(requirements.ErrorResponse), func() {
		ginkgo.It("are well-formed for an unknown code", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			v := newVerifier(43)
			t.expectErrorFormat(t.redeem(ctx, "unknown code", pub, randomState()+randomState(), &v), false)
		})

		ginkgo.It("are well-formed for a wrong verifier", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			code := t.mustCode(ctx, pub, s256(newPair(43)))
			wrong := newVerifier(43)
			t.expectErrorFormat(t.redeem(ctx, "wrong verifier", pub, code, &wrong), false)
		})

		ginkgo.It("are well-formed for an unsupported grant_type", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			req := &tokenclient.Request{Auth: clientAuth(pub), Params: [][2]string{{"grant_type", "urn:pkcecheck:unsupported"}}}
			r := t.exchange(ctx, "unsupported grant_type", req)
			t.expectErrorFormat(r, false)
			if r.Err.Code != "unsupported_grant_type" {
				note("an unknown grant_type is answered with %s (RFC 6749 §5.2 names unsupported_grant_type)", r.Err.Code)
			}
		})

		registerWrongSecret(t)
	})

	ginkgo.Describe("token responses", errorSpecs.label(requirements.NoStore), func() {
		ginkgo.It("carry Cache-Control: no-store", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			r := t.redeem(ctx, "redemption", pub, code, &pair.Verifier)
			if !r.Issued() {
				harnessError("the redemption with the right verifier was refused (%s); there is no token response to inspect", answer(r))
			}
			if !hasDirective(r.Header.Values("Cache-Control"), "no-store") {
				ginkgo.Fail(fmt.Sprintf("the token response has Cache-Control %q, want no-store", strings.Join(r.Header.Values("Cache-Control"), ", ")))
			}
			if !hasDirective(r.Header.Values("Pragma"), "no-cache") {
				note("no Pragma: no-cache on the token response (RFC 6749 §5.1 asks for it too)")
			}
			// An error answer: no-store is only in the examples there.
			e := t.redeem(ctx, "replay (an error response)", pub, code, &pair.Verifier)
			if !e.Issued() && !hasDirective(e.Header.Values("Cache-Control"), "no-store") {
				note("error responses carry no Cache-Control: no-store")
			}
		})
	})
}

// expectErrorFormat fails the spec unless r is an RFC 6749 §5.2 error
// response (see formProblems). clientError says the error must be
// invalid_client.
func (t *Target) expectErrorFormat(r *tokenclient.Response, clientError bool) {
	if r.Issued() {
		failAs(gravityTokens, fmt.Sprintf("tokens issued (HTTP %d) where an error was provoked", r.Status))
	}
	if problems := t.formProblems(r, clientError); len(problems) > 0 {
		failAs(gravityForm, fmt.Sprintf("refused (no tokens) with %s, but %s", t.seen(r), strings.Join(problems, "; ")))
	}
}

// formProblems lists how r departs from an RFC 6749 §5.2 error response:
// HTTP 400 (401 allowed for invalid_client), a JSON object with a
// registered error code, and error and error_description limited to the
// characters §5.2 allows. clientError says the error must be
// invalid_client.
func (t *Target) formProblems(r *tokenclient.Response, clientError bool) []string {
	var problems []string
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		problems = append(problems, fmt.Sprintf("Content-Type %q, want application/json", r.Header.Get("Content-Type")))
	}
	switch {
	case r.JSON == nil:
		problems = append(problems, "the body is not a JSON object")
	case r.Err == nil:
		problems = append(problems, "the JSON has no error member")
	default:
		if _, ok := r.JSON["error"].(string); !ok {
			problems = append(problems, "error is not a string")
		}
		if !r.Err.Registered() {
			problems = append(problems, fmt.Sprintf("error %q is not an RFC 6749 §5.2 code", t.Redactor.String(r.Err.Code)))
		}
		if clientError && r.Err.Code != "invalid_client" {
			problems = append(problems, fmt.Sprintf("error %q, want invalid_client", t.Redactor.String(r.Err.Code)))
		}
		for _, m := range []string{"error", "error_description"} {
			if s, ok := r.JSON[m].(string); ok && !legalErrorText(s) {
				problems = append(problems, m+" has characters outside %x20-21 / %x23-5B / %x5D-7E")
			}
		}
	}
	isClientError := r.Err != nil && r.Err.Code == "invalid_client"
	switch {
	case r.Status == 400:
	case r.Status == 401 && isClientError:
	case isClientError:
		problems = append(problems, fmt.Sprintf("HTTP %d, want 400 or 401", r.Status))
	default:
		problems = append(problems, fmt.Sprintf("HTTP %d, want 400 (401 only for invalid_client)", r.Status))
	}
	return problems
}

// legalErrorText reports whether s uses only the characters RFC 6749 §5.2
// allows in error and error_description: %x20-21 / %x23-5B / %x5D-7E.
func legalErrorText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// hasDirective reports whether a header with comma-separated directives
// (Cache-Control, Pragma) carries directive, ignoring case.
func hasDirective(values []string, directive string) bool {
	for _, v := range values {
		for _, d := range strings.Split(v, ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(d), "=")
			if strings.EqualFold(name, directive) {
				return true
			}
		}
	}
	return false
}
