package suites

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// authzInvalidRequest is the one error RFC 7636 §4.4.1 and RFC 6749 §3.1
// name for a PKCE or parameter error at /authorize (and §3.2 at /token).
var authzInvalidRequest = []string{"invalid_request"}

// authorizeSpecs labels the specs of this file.
var authorizeSpecs = declareSpecs(requirements.ChallengeMissing, requirements.ChallengeFormat, requirements.MethodUnsupported, requirements.MethodDefault, requirements.DuplicateParams, requirements.ErrorIss)

// registerAuthorize registers the authorization-endpoint checks: a missing
// or empty challenge, malformed challenges, unknown and omitted methods,
// duplicated PKCE parameters (at /authorize and /token) and iss on error
// redirects. Every probe is its own authorization request, judged after the
// browser finished login and consent.
func registerAuthorize(t *Target) {
	ginkgo.Describe("the authorization endpoint", func() {
		registerChallengeMissing(t)
		registerChallengeFormat(t)
		registerMethodUnsupported(t)
		registerMethodDefault(t)
		registerDuplicateParams(t)
		registerErrorIss(t)
	})
}

// registerChallengeMissing: rfc7636.challenge-missing. Where the policy
// requires PKCE, no challenge and an empty one (RFC 6749 §3.1: an empty
// parameter counts as omitted) must both be refused with invalid_request.
func registerChallengeMissing(t *Target) {
	clients := publicAndConfidential(t)
	variants := []struct {
		name string
		req  authRequest
	}{
		{"no code_challenge", authRequest{}},
		{"an empty code_challenge (method S256)", authRequest{Method: pkce.MethodS256, Raw: form.Params{{"code_challenge", ""}}}},
	}
	for _, cl := range clients {
		for _, v := range variants {
			ginkgo.It("refuses "+v.name+" from the "+cl.role+" client where PKCE is required", authorizeSpecs.label(requirements.ChallengeMissing), func(ctx ginkgo.SpecContext) {
				if !pkceRequiredFor(t.Profile.Policy.PKCERequired, cl.role) {
					ginkgo.Skip(fmt.Sprintf("policy pkce_required: %s does not require PKCE for the %s client", t.Profile.Policy.PKCERequired, cl.role))
				}
				c := cl.client()
				resp := t.authorize(ctx, c, v.req)
				if resp.Code != "" {
					r := t.redeem(ctx, "no code_verifier", c, resp.Code, nil)
					if r.Issued() {
						failAs(gravityTokens, fmt.Sprintf("a code was issued for %s and redeemed without code_verifier: PKCE is not enforced for this client", v.name))
					}
					failAs(gravityCode, fmt.Sprintf("a code was issued for %s (it was not redeemable without code_verifier: %s)", v.name, answer(r)))
				}
				t.expectAuthzRefused(resp, authzInvalidRequest)
			})
		}
	}
}

// pkceRequiredFor reports whether the policy requires PKCE for a client role.
func pkceRequiredFor(policy, role string) bool {
	switch policy {
	case profiles.PKCERequiredAll:
		return true
	case profiles.PKCERequiredPublic:
		return role == "public"
	default:
		return false
	}
}

// malformedChallenge is an S256 challenge that no correct client sends, with
// the verifier it wraps (a lax server might redeem the code with it).
// An S256 challenge is always 43 base64url characters (RFC 7636 §4.2), so
// docs/design.md counts any other length as malformed, even where the value still
// fits the general 43*128unreserved grammar (44 characters, a hex digest).
type malformedChallenge struct {
	name string
	make func() (verifier, challenge string)
}

var malformedChallenges = []malformedChallenge{
	{"of 42 characters", func() (string, string) {
		v := newVerifier(43)
		return v, pkce.S256(v)[:42]
	}},
	{"of 44 characters", func() (string, string) {
		v := newVerifier(43)
		return v, pkce.S256(v) + "A"
	}},
	{"padded with =", func() (string, string) {
		v := newVerifier(43)
		return v, pkce.S256(v) + "="
	}},
	{"in standard base64 (+ and /)", standardBase64Challenge},
	{"as a 64-character hex digest", func() (string, string) {
		v := newVerifier(43)
		sum := sha256.Sum256([]byte(v))
		return v, hex.EncodeToString(sum[:])
	}},
	{"with a non-ASCII letter (é)", func() (string, string) {
		v := newVerifier(43)
		c := pkce.S256(v)
		return v, c[:21] + "é" + c[22:]
	}},
}

// standardBase64Challenge returns a verifier whose S256 digest, written in
// standard base64 without padding, contains + or / (about 3 in 4 do).
func standardBase64Challenge() (string, string) {
	for range 64 {
		v := newVerifier(43)
		sum := sha256.Sum256([]byte(v))
		if c := base64.RawStdEncoding.EncodeToString(sum[:]); strings.ContainsAny(c, "+/") {
			return v, c
		}
	}
	harnessError("no verifier with + or / in its standard base64 digest after 64 tries")
	return "", ""
}

// registerChallengeFormat: rfc7636.challenge-format (SHOULD). Malformed S256
// challenges should be refused at /authorize; a code for one can never be
// redeemed correctly, and one that IS redeemable is worse.
func registerChallengeFormat(t *Target) {
	for _, m := range malformedChallenges {
		ginkgo.It("refuses an S256 code_challenge "+m.name, authorizeSpecs.label(requirements.ChallengeFormat), challengeFormatSpec(t, m))
	}
	for _, m := range challengeSweeps { // sweeps.go
		ginkgo.It("refuses an S256 code_challenge "+m.name, authorizeSpecs.label(requirements.ChallengeFormat), challengeFormatSpec(t, m))
	}
}

// challengeFormatSpec is the spec body that sends the S256 challenge of m
// and expects invalid_request at /authorize; a code issued for it warns,
// saying whether it is redeemable.
func challengeFormatSpec(t *Target, m malformedChallenge) func(ginkgo.SpecContext) {
	return func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		v, c := m.make()
		ar := authRequest{Challenge: c, Method: pkce.MethodS256}
		resp := t.authorize(ctx, pub, ar)
		if resp.Code == "" {
			t.expectAuthzRefused(resp, authzInvalidRequest)
			return
		}
		if how := t.redeemableMalformed(ctx, pub, ar, resp.Code, v); how != "" {
			warnf("a code was issued for an S256 challenge %s, and it is redeemable %s", m.name, how)
		}
		warnf("a code was issued for an S256 challenge %s (no verifier redeemed it)", m.name)
	}
}

// redeemableMalformed tells how a code issued for a malformed challenge can
// be redeemed: with the verifier the challenge wraps (tried on code), or,
// on a fresh code for the same challenge, without any verifier. It returns
// "" when neither works.
func (t *Target) redeemableMalformed(ctx context.Context, c *profiles.Client, ar authRequest, code, wrapped string) string {
	if t.redeem(ctx, "the verifier the challenge wraps", c, code, &wrapped).Issued() {
		return "with the verifier whose S256 digest it wraps"
	}
	again := t.authorize(ctx, c, ar)
	if again.Code == "" {
		return ""
	}
	if t.redeem(ctx, "no code_verifier", c, again.Code, nil).Issued() {
		return "without code_verifier (PKCE is off for such codes)"
	}
	return ""
}

// unsupportedMethods are not registered transformations (RFC 7636 §4.2,
// §6.2.1: names are case-sensitive). plain is plain-policy's business.
var unsupportedMethods = []string{"S512", "s256", "SHA256", "S256 "}

// registerMethodUnsupported: rfc7636.method-unsupported. Each method is
// refused with invalid_request (RFC 7636 §4.4.1).
func registerMethodUnsupported(t *Target) {
	for _, m := range unsupportedMethods {
		ginkgo.It(fmt.Sprintf("refuses code_challenge_method %q", m), authorizeSpecs.label(requirements.MethodUnsupported), methodUnsupportedSpec(t, m))
	}
	for _, m := range methodSweeps { // sweeps.go
		ginkgo.It(fmt.Sprintf("refuses code_challenge_method %q", m), authorizeSpecs.label(requirements.MethodUnsupported), methodUnsupportedSpec(t, m))
	}
}

// methodUnsupportedSpec is the spec body that sends an S256 challenge with
// method m and expects invalid_request at /authorize.
func methodUnsupportedSpec(t *Target, m string) func(ginkgo.SpecContext) {
	return func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		resp := t.authorize(ctx, pub, authRequest{Challenge: pair.Challenge, Method: m})
		if resp.Code != "" {
			how := "not redeemable with the S256 verifier"
			if t.redeem(ctx, "the S256 verifier", pub, resp.Code, &pair.Verifier).Issued() {
				how = "redeemed with the S256 verifier: treated as S256"
			}
			failAs(gravityCode, fmt.Sprintf("a code was issued for method %q (%s)", m, how))
		}
		t.expectAuthzRefused(resp, authzInvalidRequest)
	}
}

// registerMethodDefault: rfc7636.method-default. A challenge without
// code_challenge_method means plain (RFC 7636 §4.3): the server refuses it
// (plain unsupported) or verifies it as plain — never as S256, and not while
// it refuses code_challenge_method=plain by name (plain applied only where
// it is left implicit). Two challenges are sent without a method: S256(V),
// 43 base64url characters and so valid under both readings (a server that
// takes the omitted method for S256 accepts it, and then V redeems the
// code), and 64 unreserved characters, valid only as plain. The profile's
// plain policy does not enter here: a server that verifies an omitted method
// as plain conforms to §4.3 even where the policy forbids plain, and
// offering plain at all is judged by rfc7636.plain-policy (and, against the
// metadata, rfc8414.methods-advertised), so one fault is counted once.
func registerMethodDefault(t *Target) {
	ginkgo.It("treats a challenge without code_challenge_method as plain", authorizeSpecs.label(requirements.MethodDefault), func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		issued := false

		// Valid under both readings: which verifier redeems the code?
		pair := newPair(43)
		both := t.authorize(ctx, pub, authRequest{Challenge: pair.Challenge})
		if both.Code == "" {
			t.expectAuthzRefused(both, authzInvalidRequest)
		} else {
			issued = true
			if t.redeem(ctx, "the S256 preimage as verifier", pub, both.Code, &pair.Verifier).Issued() {
				failAs(gravityTokens, "a challenge without code_challenge_method was verified as S256 (its S256 preimage redeemed the code), not as plain")
			}
			code := t.mustCode(ctx, pub, authRequest{Challenge: pair.Challenge})
			if r := t.redeem(ctx, "the challenge itself as verifier (plain)", pub, code, &pair.Challenge); !r.Issued() {
				failAs(gravityCode, fmt.Sprintf("a code was issued for a 43-character challenge without method, but neither its S256 preimage nor the challenge as plain verifier redeemed it (%s)", answer(r)))
			}
		}

		// Valid only as plain.
		plainV := newVerifier(64)
		resp := t.authorize(ctx, pub, authRequest{Challenge: plainV})
		if resp.Code == "" {
			t.expectAuthzRefused(resp, authzInvalidRequest)
		} else {
			issued = true
			if r := t.redeem(ctx, "the challenge itself as verifier (plain)", pub, resp.Code, &plainV); !r.Issued() {
				ginkgo.Fail(fmt.Sprintf("a code was issued for a challenge without method, but the challenge as plain verifier was refused (%s)", answer(r)))
			}
		}
		if !issued {
			note("a challenge without method was refused at /authorize")
			return
		}
		// Plain applied only where it is left implicit: the server does not
		// support plain (it refuses it by name), yet defaults to it.
		explicit := t.authorize(ctx, pub, authRequest{Challenge: newVerifier(64), Method: pkce.MethodPlain})
		if explicit.Code == "" {
			ginkgo.Fail(fmt.Sprintf("a challenge without method was verified as plain, though code_challenge_method=plain is refused (%s)", outcome(explicit)))
		}
		if t.Profile.Policy.Plain != profiles.PlainAllowed {
			note("a challenge without method was verified as plain (plain itself is judged by rfc7636.plain-policy)")
			return
		}
		note("a challenge without method was verified as plain")
	})
}

// registerDuplicateParams: rfc6749.duplicate-params (SHOULD). Repeated PKCE
// parameters are refused with invalid_request, at /authorize (RFC 6749 §3.1)
// for the public and the confidential client, and at /token (§3.2) for
// every client of the profile (each authenticates its own way). When a
// server accepts them, the message says which value won.
func registerDuplicateParams(t *Target) {
	ginkgo.Describe("duplicated PKCE parameters", authorizeSpecs.label(requirements.DuplicateParams), func() {
		for _, cp := range frontClients(t.Profile) {
			ginkgo.It("refuses two different code_challenge values at /authorize: "+cp.name(), func(ctx ginkgo.SpecContext) {
				c := cp.client
				first, second := newPair(43), newPair(43)
				resp := t.authorize(ctx, c, authRequest{Challenge: first.Challenge, Method: pkce.MethodS256,
					Raw: form.Params{{"code_challenge", second.Challenge}}})
				if resp.Code != "" {
					r := t.redeem(ctx, cp.name()+", the first challenge's verifier", c, resp.Code, &first.Verifier)
					failAs(gravityCode, "a code was issued for two code_challenge values; "+bound(r, "the first value was bound", "the first value's verifier was refused"))
				}
				t.expectAuthzRefused(resp, authzInvalidRequest)
			})
			ginkgo.It("refuses code_challenge_method S256 and plain at /authorize: "+cp.name(), func(ctx ginkgo.SpecContext) {
				c := cp.client
				pair := newPair(43)
				resp := t.authorize(ctx, c, authRequest{Challenge: pair.Challenge, Method: pkce.MethodS256,
					Raw: form.Params{{"code_challenge_method", pkce.MethodPlain}}})
				if resp.Code != "" {
					r := t.redeem(ctx, cp.name()+", the S256 verifier", c, resp.Code, &pair.Verifier)
					failAs(gravityCode, "a code was issued for two code_challenge_method values; "+bound(r, "S256 (the first) was bound", "the S256 verifier was refused, so plain (the second) or neither was bound"))
				}
				t.expectAuthzRefused(resp, authzInvalidRequest)
			})
		}
		for _, cp := range profileClients(t.Profile) {
			for _, order := range []struct {
				name       string
				rightFirst bool
			}{{"wrong then right", false}, {"right then wrong", true}} {
				ginkgo.It("refuses code_verifier sent twice at /token ("+order.name+"): "+cp.name(), func(ctx ginkgo.SpecContext) {
					c := cp.client
					pair := newPair(43)
					code := t.mustCode(ctx, c, s256(pair))
					wrong := newVerifier(43)
					values := []string{wrong, pair.Verifier}
					if order.rightFirst {
						values[0], values[1] = values[1], values[0]
					}
					req := tokenclient.CodeRequest(clientAuth(c), code, c.RedirectURI, &values[0])
					req.Add("code_verifier", values[1])
					r := t.exchange(ctx, cp.name()+", code_verifier twice, "+order.name, req)
					t.skipIfTokenUnauthenticated(ctx, cp, r)
					t.expectRejected(r, authzInvalidRequest)
				})
			}
		}
	})
}

// bound describes which value a server bound, from whether r got tokens.
func bound(r *tokenclient.Response, yes, no string) string {
	if r.Issued() {
		return yes
	}
	return fmt.Sprintf("%s (%s)", no, answer(r))
}

// registerErrorIss: info.error-iss. An error redirect carries iss equal to
// the issuer (RFC 9207 §2) where the metadata advertises
// authorization_response_iss_parameter_supported; otherwise the result only
// notes whether iss was there.
func registerErrorIss(t *Target) {
	ginkgo.It("sends iss on an authorization error redirect", authorizeSpecs.label(requirements.ErrorIss), func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		resp := t.authorize(ctx, pub, authRequest{Challenge: pair.Challenge, Method: "S512"})
		if resp.Error == "" {
			note("no error redirect to inspect (method S512: %s)", outcome(resp))
			return
		}
		judgeErrorIss(t, resp)
	})
}

// judgeErrorIss checks the iss of one error redirect.
func judgeErrorIss(t *Target, resp *authz.Response) {
	if resp.Pushed {
		note("refused at the PAR endpoint: no redirect, so no iss to inspect")
		return
	}
	issuer, advertised := t.Profile.Issuer, false
	if t.Metadata != nil {
		issuer, advertised = t.Metadata.Issuer, t.Metadata.AuthorizationResponseIssParameterSupported
	}
	switch {
	case resp.Iss == "" && advertised:
		warnf("the error redirect has no iss, though the metadata advertises authorization_response_iss_parameter_supported")
	case resp.Iss == "":
		note("no iss on the error redirect (authorization_response_iss_parameter_supported is not advertised)")
	case resp.Iss != issuer:
		warnf("the error redirect's iss %q differs from the issuer %q", resp.Iss, issuer)
	case advertised:
		note("iss on the error redirect matches the issuer")
	default:
		note("iss on the error redirect matches the issuer, though authorization_response_iss_parameter_supported is not advertised")
	}
}

// roleClient is one of the profile's two main clients, resolved when a spec
// runs (the confidential one skips the spec where the profile has none).
type roleClient struct {
	role   string
	client func() *profiles.Client
}

// publicAndConfidential are the profile's public and confidential clients,
// for the /authorize checks that hold for every client.
func publicAndConfidential(t *Target) []roleClient {
	return []roleClient{
		{"public", func() *profiles.Client { return t.Profile.Clients.Public }},
		{"confidential", func() *profiles.Client { return needClient(t.Profile.Clients.Confidential, "confidential") }},
	}
}
