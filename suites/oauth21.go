package suites

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// oauth21Specs labels the specs of this file.
var oauth21Specs = declareSpecs(requirements.OAuth21MethodRequired, requirements.OAuth21PlainProhibited,
	requirements.IssRequired, requirements.ChallengeNotEchoed)

// registerOAuth21 registers what OAuth 2.1 draft 16 (September 2026) adds
// to RFC 7636 at the authorization endpoint: code_challenge_method required
// and plain prohibited (judged only under policy.profile oauth2.1-draft16),
// iss on every authorization response (RFC 9207: required where the
// metadata advertises it, and always under draft 16) and no challenge in
// any response parameter (RFC 7636 §4.4 already says so: always judged).
func registerOAuth21(t *Target) {
	ginkgo.Describe("OAuth 2.1 draft 16", func() {
		registerMethodRequired(t)
		registerPlainProhibited(t)
		registerIssRequired(t)
		registerChallengeNotEchoed(t)
	})
}

// skipUnlessOAuth21 skips the spec, with the reason, under other policies.
func skipUnlessOAuth21(t *Target) {
	if !t.Profile.Policy.OAuth21() {
		ginkgo.Skip("applies under policy.profile: " + profiles.ProfileOAuth21Draft16 + " only")
	}
}

// registerMethodRequired: policy.oauth21-method-required. Draft 16 §4.1.1 makes
// code_challenge_method REQUIRED, so a challenge without one is an invalid
// request (§4.1.2.1), where RFC 7636 §4.3 reads it as plain.
func registerMethodRequired(t *Target) {
	ginkgo.It("refuses a code_challenge without code_challenge_method", oauth21Specs.label(requirements.OAuth21MethodRequired), func(ctx ginkgo.SpecContext) {
		skipUnlessOAuth21(t)
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		resp := t.authorize(ctx, pub, authRequest{Challenge: pair.Challenge})
		if resp.Code != "" {
			how := "read as plain"
			if t.redeem(ctx, "the S256 verifier", pub, resp.Code, &pair.Verifier).Issued() {
				how = "read as S256: its S256 verifier redeemed it"
			}
			failAs(gravityCode, "a code was issued for a challenge without code_challenge_method ("+how+")")
		}
		t.expectAuthzRefused(resp, authzInvalidRequest)
	})
}

// registerPlainProhibited: policy.oauth21-plain-prohibited. Draft 16 §4.1.1 and
// §7.5.2 prohibit plain: it is refused at /authorize, and the metadata does
// not offer it.
func registerPlainProhibited(t *Target) {
	ginkgo.Describe("the plain method", oauth21Specs.label(requirements.OAuth21PlainProhibited), func() {
		ginkgo.It("is not advertised", func() {
			skipUnlessOAuth21(t)
			if t.Metadata == nil {
				ginkgo.Skip("no metadata document to inspect")
			}
			evidence("metadata", "GET "+t.Redactor.URL(t.Metadata.Source), methodsField(t))
			if advertises(t, pkce.MethodPlain) {
				ginkgo.Fail("code_challenge_methods_supported lists plain, which OAuth 2.1 draft 16 prohibits")
			}
		})
		ginkgo.It("is refused at /authorize", func(ctx ginkgo.SpecContext) {
			skipUnlessOAuth21(t)
			pub := t.Profile.Clients.Public
			v := newVerifier(64)
			resp := t.authorize(ctx, pub, authRequest{Challenge: v, Method: pkce.MethodPlain})
			if resp.Code != "" {
				how := "the plain verifier was refused"
				if t.redeem(ctx, "plain verifier", pub, resp.Code, &v).Issued() {
					how = "and redeemed with the plain verifier"
				}
				failAs(gravityCode, "a code was issued for code_challenge_method=plain ("+how+")")
			}
			t.expectAuthzRefused(resp, authzInvalidRequest)
		})
	})
}

// registerIssRequired: rfc9207.iss-required. RFC 9207 §2: a server that
// advertises authorization_response_iss_parameter_supported MUST send iss
// on every authorization response, success and error alike; OAuth 2.1
// draft 16 §4.1.2 and §4.1.2.1 require it of every server. Elsewhere the
// requirement does not apply (info.error-iss still records what is sent).
func registerIssRequired(t *Target) {
	ginkgo.Describe("iss on authorization responses", oauth21Specs.label(requirements.IssRequired), func() {
		ginkgo.It("is sent with a code", func(ctx ginkgo.SpecContext) {
			skipUnlessIssRequired(t)
			resp := t.authorize(ctx, t.Profile.Clients.Public, s256(newPair(43)))
			if resp.Code == "" {
				harnessError("the server issued no code for a valid request (%s); iss on success cannot be judged", outcome(resp))
			}
			expectIss(t, resp, "the code redirect")
		})
		ginkgo.It("is sent with an error", func(ctx ginkgo.SpecContext) {
			skipUnlessIssRequired(t)
			resp := t.authorize(ctx, t.Profile.Clients.Public, authRequest{Challenge: newPair(43).Challenge, Method: "S512"})
			switch {
			case resp.Code != "":
				note("no error to inspect: method S512 got a code (judged by rfc7636.method-unsupported)")
				return
			case resp.Error == "":
				note("no error redirect to inspect (%s)", outcome(resp))
				return
			case resp.Pushed:
				note("refused at the PAR endpoint: no redirect, so no iss to inspect")
				return
			}
			expectIss(t, resp, "the error redirect")
		})
	})
}

// skipUnlessIssRequired skips where neither the metadata nor the policy
// requires iss.
func skipUnlessIssRequired(t *Target) {
	advertised := t.Metadata != nil && t.Metadata.AuthorizationResponseIssParameterSupported
	if !advertised && !t.Profile.Policy.OAuth21() {
		ginkgo.Skip("the metadata does not advertise authorization_response_iss_parameter_supported and the policy is not " + profiles.ProfileOAuth21Draft16)
	}
}

// expectIss fails the spec unless resp carries iss equal to the issuer.
func expectIss(t *Target, resp *authz.Response, what string) {
	issuer := t.Profile.Issuer
	if t.Metadata != nil {
		issuer = t.Metadata.Issuer
	}
	switch {
	case resp.Iss == "":
		ginkgo.Fail(what+" has no iss", 1)
	case resp.Iss != issuer:
		ginkgo.Fail(fmt.Sprintf("%s has iss %q, not the issuer %q", what, resp.Iss, issuer), 1)
	}
}

// registerChallengeNotEchoed: rfc7636.challenge-not-echoed. RFC 7636 §4.4
// forbids returning the challenge in a form other parties can extract, and
// §7.2 asks a self-contained code to encrypt it; OAuth 2.1 draft 16 §4.1.2
// repeats it. The redirect's parameters and the token response are searched
// for the challenge and its digest in the usual encodings.
func registerChallengeNotEchoed(t *Target) {
	ginkgo.It("never returns the code_challenge in a response parameter", oauth21Specs.label(requirements.ChallengeNotEchoed), func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		resp := t.authorize(ctx, pub, s256(pair))
		if resp.Code == "" {
			harnessError("the server issued no code for a valid request (%s); the response cannot be inspected", outcome(resp))
		}
		if where := echoedIn(redirectParams(resp.Location), pair.Challenge); where != "" {
			ginkgo.Fail("the code redirect returns the challenge in " + where)
		}
		r := t.redeem(ctx, "right verifier", pub, resp.Code, &pair.Verifier)
		if !r.Issued() {
			harnessError("the code was refused with the right verifier (%s); the token response cannot be inspected", answer(r))
		}
		if where := echoedIn(jsonStrings(r.Body), pair.Challenge); where != "" {
			ginkgo.Fail("the token response returns the challenge in " + where)
		}
	})
}
