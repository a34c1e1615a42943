// Package requirements is the requirement catalogue: the one list of what
// pkcecheck checks. Spec labels, `pkcecheck list`, results.json and the
// reports all read it from here.
package requirements

import "sort"

// Level is how binding a requirement is.
type Level string

const (
	// MUST: a violation is a failure.
	MUST Level = "MUST"
	// SHOULD: a violation is a warning.
	SHOULD Level = "SHOULD"
	// INFO: a measurement, never a failure.
	INFO Level = "INFO"
)

// Requirement is one entry of the catalogue.
type Requirement struct {
	ID     ID     // stable, e.g. "rfc7636.verifier-missing"
	Area   Area   // the part of the specifications it belongs to
	Source string // e.g. "RFC 7636 §4.5, §4.6"
	Level  Level
	Text   string // one line: what the server must or should do
	Passes string // what counts as passing
}

var catalogue = []Requirement{
	{S256Roundtrip, AreaVerifier, "RFC 7636 §4.2, §4.6", MUST,
		"Redeem a code with the correct S256 verifier",
		"43- and 128-character verifiers over the full unreserved charset are exchanged for tokens"},
	{VerifierMissing, AreaVerifier, "RFC 7636 §4.5, §4.6", MUST,
		"Reject a token request without code_verifier when a challenge was sent",
		"the token request is answered with an error and no token"},
	{VerifierEmpty, AreaVerifier, "RFC 7636 §4.5; RFC 6749 §3.2", MUST,
		"Reject an empty code_verifier",
		"`code_verifier=` is answered with an error and no token"},
	{VerifierMismatch, AreaVerifier, "RFC 7636 §4.6", MUST,
		"Reject a verifier that does not match the challenge, with invalid_grant",
		"random, one-character-changed, case-flipped, truncated and extended verifiers, and the right verifier against a near-miss challenge, are all refused"},
	{VerifierSwapped, AreaVerifier, "RFC 7636 §4.4", MUST,
		"Reject the verifier of another live flow of the same client",
		"a code redeemed with another flow's verifier is refused"},
	{MethodBound, AreaVerifier, "RFC 7636 §4.5, §7.2", MUST,
		"For an S256 code, reject the challenge itself sent as the verifier",
		"the challenge sent as code_verifier is refused"},
	{VerifierLength, AreaVerifier, "RFC 7636 §4.1, §7.1", MUST,
		"Reject 42- and 129-character verifiers even when their challenge matches",
		"42- and 129-character verifiers are refused, and so are 299 characters (256 + 43) and 129 holding a percent escape (127 once decoded)"},
	{VerifierCharset, AreaVerifier, "RFC 7636 §4.1", MUST,
		"Reject verifiers with characters outside [A-Za-z0-9-._~] even when their challenge matches",
		"every verifier with a character outside the unreserved set is refused"},
	{FormPostEnforced, AreaVerifier, "RFC 7636 §4.6; OAuth 2.0 Form Post Response Mode", MUST,
		"Enforce PKCE on codes delivered with response_mode=form_post exactly as on query responses",
		"form_post codes are refused without code_verifier, with a wrong one and with the challenge as verifier, and redeemed with the right one"},
	{FragmentEnforced, AreaVerifier, "RFC 7636 §4.6; OAuth 2.0 Multiple Response Type Encoding Practices", MUST,
		"Enforce PKCE on codes delivered in the fragment (hybrid code id_token, or response_mode=fragment) exactly as on query responses",
		"fragment codes are refused without code_verifier, with a wrong one and with the challenge as verifier, and redeemed with the right one"},
	{ChallengeMissing, AreaAuthorize, "RFC 7636 §4.4.1", MUST,
		"Answer invalid_request at /authorize when PKCE is required and no challenge, or an empty one, is sent",
		"no code is issued without a challenge where the policy requires PKCE"},
	{ChallengeFormat, AreaAuthorize, "RFC 7636 §4.2", SHOULD,
		"Reject malformed challenges at /authorize",
		"challenges of the wrong length, padded, with +/, ~ or non-ASCII, or behind a space, are refused at /authorize"},
	{MethodUnsupported, AreaAuthorize, "RFC 7636 §4.4.1", MUST,
		"Answer invalid_request for unknown or wrongly-cased methods",
		"S512, s256, SHA256, S256 with a leading or a trailing space, S25, S2566 and RS256 are refused at /authorize"},
	{MethodDefault, AreaAuthorize, "RFC 7636 §4.3", MUST,
		"Treat an omitted method as plain",
		"a challenge without a method is refused where plain is not supported, or verified as plain (whether plain may be offered at all is plain-policy's judgement); its S256 preimage never redeems the code, and plain is not applied to it while refused by name"},
	{PlainPolicy, AreaAuthorize, "RFC 7636 §7.2; OAuth 2.1", MUST,
		"Accept plain only where the policy allows it, and then verify it correctly",
		"plain, named or left implicit (an omitted method), redeems no code under `plain: forbidden`; where it is accepted, only the exact verifier redeems the code"},
	{ErrorResponse, AreaErrors, "RFC 6749 §5.2", MUST,
		"Answer token errors with 400 (401 only for invalid_client), JSON and a registered error code",
		"every token error seen is a 400 JSON object with a registered error code (401 for invalid_client, challenging a client that used the Authorization header with its scheme)"},
	{ErrorCharset, AreaErrors, "RFC 6749 §5.2, §4.1.2.1", MUST,
		"Write error_description and error_uri only with the characters RFC 6749 §5.2 allows, also when the request carried others",
		"the token errors and the authorization error redirect provoked with non-ASCII, quote and backslash characters use only %x20-21 / %x23-5B / %x5D-7E (error_uri: no space)"},
	{RedirectKeepsQuery, AreaErrors, "RFC 6749 §3.1.2, §4.1.2.1", MUST,
		"Keep the redirect URI's own query parameters on code and error redirects",
		"redirects to a registered redirect URI with a query keep its parameters and add code or error beside them"},
	{CodeSingleUse, AreaCode, "RFC 6749 §4.1.2", MUST,
		"Reject a second redemption of a code",
		"the second redemption of a redeemed code is refused"},
	{ReuseRevokes, AreaCode, "RFC 6749 §4.1.2", SHOULD,
		"Revoke tokens issued from a code that was replayed",
		"after a replay the first access token no longer works"},
	{CodeRace, AreaCode, "RFC 6749 §4.1.2", MUST,
		"Let at most one of N concurrent redemptions succeed",
		"exactly one of the concurrent redemptions gets tokens"},
	{CodeRaceMixed, AreaCode, "RFC 6749 §4.1.2; RFC 7636 §4.6", MUST,
		"Let only a redemption with the right verifier win among concurrent ones with wrong, missing and right verifiers",
		"no concurrent redemption with a wrong or missing code_verifier gets tokens, whichever is first to arrive"},
	{RefreshAfterPKCE, AreaCode, "RFC 6749 §6; OAuth 2.1 §4.3", MUST,
		"Refresh tokens issued by a PKCE exchange without asking for a code_verifier",
		"a refresh request with the refresh token of a PKCE exchange, and no code_verifier, gets tokens"},
	{ReplayRevokesRefresh, AreaCode, "RFC 6749 §4.1.2, §10.5; OAuth 2.1 §4.1.3", SHOULD,
		"Revoke the refresh tokens issued from a code that was replayed, rotated ones included",
		"after a refresh and then a replay of the code, the latest refresh token no longer works"},
	{CodeLifetime, AreaCode, "RFC 6749 §4.1.2; FAPI 2.0 §5.3.2.1", SHOULD,
		"Refuse a code older than the profile's max_code_age (default 10 minutes; 60 s for FAPI 2.0)",
		"a code minted at the start of the run and redeemed with the right verifier once max_code_age has passed is refused (off by default: select it with the label filter)"},
	{CodeClientBound, AreaCode, "RFC 6749 §4.1.3", MUST,
		"Reject a code redeemed by another client",
		"another client's redemption of the code is refused"},
	{RedirectURIBound, AreaCode, "RFC 6749 §4.1.3", MUST,
		"Reject a changed redirect_uri at the token endpoint",
		"a changed redirect_uri is refused"},
	{NoStore, AreaErrors, "RFC 6749 §5.1", MUST,
		"Send Cache-Control: no-store on token responses",
		"every token response carries Cache-Control: no-store"},
	{DuplicateParams, AreaErrors, "RFC 6749 §3.1, §3.2", SHOULD,
		"Reject duplicated PKCE parameters at /authorize and /token with invalid_request",
		"two challenges, two methods and two verifiers are refused"},
	{Downgrade, AreaDowngrade, "RFC 9700 §4.8.2", MUST,
		"Reject a code_verifier for a code issued without a challenge",
		"a verifier sent for a challenge-less code is refused, or no code is issued without a challenge"},
	{ConfidentialPKCE, AreaDowngrade, "RFC 9700 §2.1.1", MUST,
		"Enforce PKCE for confidential clients too when a challenge was sent",
		"a confidential client's code is not redeemed without the right verifier"},
	{MethodsAdvertised, AreaMetadata, "RFC 8414 §2; RFC 9700 §2.1.1", MUST,
		"Never accept a method the metadata leaves out",
		"code_challenge_methods_supported lists S256 and every method the server accepts"},

	// Added requirements (issue 16). Their IDs and levels are part of the
	// contract from now on, like the ones above.
	{MethodWithoutChallenge, AreaAuthorize, "RFC 7636 §4.3, §4.4.1; RFC 6749 §4.1.2.1", SHOULD,
		"Answer invalid_request for a code_challenge_method sent without a code_challenge, even where PKCE is optional",
		"a method without a challenge (absent or empty) is refused at /authorize for every client, also where PKCE is optional"},
	{PKCEPerAuthMethod, AreaDowngrade, "RFC 9700 §2.1.1, §4.8.2; RFC 7523 §2.2; RFC 6749 §2.3", MUST,
		"Enforce PKCE, and refuse the downgrade, under every client authentication method the server supports",
		"for each client and authentication method of the profile (none, client_secret_basic, client_secret_post, private_key_jwt), a code is redeemed only with its right verifier, and a verifier for a code issued without a challenge is refused (or no such code is issued)"},
	{PARPKCEValidated, AreaPAR, "RFC 9126 §2.1, §2.3; RFC 7636 §4.4.1", MUST,
		"Validate the PKCE parameters of a pushed authorization request as /authorize would, refusing bad ones with 400 invalid_request",
		"a pushed request without a challenge (where PKCE is required), with an unknown method, with plain (where forbidden) or with a repeated code_challenge gets no request_uri (a repeated parameter accepted is a warning)"},
	{PARRequestURIOnce, AreaPAR, "RFC 9126 §4", SHOULD,
		"Treat a request_uri as one-time use",
		"a second authorization with a request_uri that already gave a code gets no code"},
	{PARClientBound, AreaPAR, "RFC 9126 §4; RFC 9101 §6.3", MUST,
		"Honour a request_uri only for the client that pushed it",
		"an authorization request naming another client_id with the request_uri gets no code"},
	{PARFrontChannelOverride, AreaPAR, "RFC 9126 §4; RFC 9101 §6.3", MUST,
		"Never let PKCE parameters sent next to request_uri replace the pushed challenge",
		"a front-channel code_challenge, or code_challenge_method=plain, added to a request_uri flow does not change what the code is bound to"},
	{OAuth21MethodRequired, AreaOAuth21, "OAuth 2.1 draft 16 §4.1.1, §4.1.2.1", MUST,
		"Under the oauth2.1-draft16 policy, refuse a code_challenge without code_challenge_method",
		"a challenge without a method is answered with invalid_request and no code (skipped under other policies)"},
	{OAuth21PlainProhibited, AreaOAuth21, "OAuth 2.1 draft 16 §4.1.1, §7.5.2", MUST,
		"Under the oauth2.1-draft16 policy, refuse the plain method and do not advertise it",
		"code_challenge_method=plain is refused at /authorize and code_challenge_methods_supported leaves plain out (skipped under other policies)"},
	{IssRequired, AreaOAuth21, "RFC 9207 §2; OAuth 2.1 draft 16 §4.1.2, §4.1.2.1", MUST,
		"Carry iss, equal to the issuer, on every authorization response: codes and errors",
		"success and error redirects carry iss equal to the metadata issuer where the metadata advertises authorization_response_iss_parameter_supported or the policy is oauth2.1-draft16 (skipped otherwise)"},
	{ChallengeNotEchoed, AreaOAuth21, "RFC 7636 §4.4, §7.2; OAuth 2.1 draft 16 §4.1.2", MUST,
		"Never return the code_challenge, in any encoding, in an authorization or token response parameter",
		"neither the challenge nor its digest is found in the redirect's parameters (as text, base64url, base64, hex or a JWT payload) nor in the token response"},

	// Informational results: measurements, pass or warn, never fail.
	{FailedVerifierBurnsCode, AreaInfo, "RFC 6749 §10.5; OAuth 2.1 §7.5.3", INFO,
		"Record whether a failed verifier attempt consumes the code (bounds online guessing)",
		"recorded whether a code survives a failed verifier attempt (burning it bounds online guessing; keeping it is allowed)"},
	{ErrorIss, AreaInfo, "RFC 9207 §2", INFO,
		"Carry iss, equal to the issuer, on authorization error redirects",
		"recorded whether an error redirect carries iss, and whether it equals the metadata issuer (a missing iss warns only where authorization_response_iss_parameter_supported is advertised)"},
}

// All returns the catalogue in its stable order.
func All() []Requirement { return append([]Requirement(nil), catalogue...) }

// Lookup returns the requirement with the given ID.
func Lookup(id ID) (Requirement, bool) {
	for _, r := range catalogue {
		if r.ID == id {
			return r, true
		}
	}
	return Requirement{}, false
}

// IDs returns every ID, sorted.
func IDs() []ID {
	out := make([]ID, len(catalogue))
	for i, r := range catalogue {
		out[i] = r.ID
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ByArea returns the catalogue grouped by area, the areas in report order
// and the requirements of each in catalogue order.
func ByArea() []AreaRequirements {
	var out []AreaRequirements
	for _, a := range areas {
		g := AreaRequirements{Area: a}
		for _, r := range catalogue {
			if r.Area == a {
				g.Requirements = append(g.Requirements, r)
			}
		}
		if len(g.Requirements) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// AreaRequirements are the requirements of one area.
type AreaRequirements struct {
	Area         Area
	Requirements []Requirement
}

// AreaOf returns the area of the requirement with the given ID, or "" when
// the ID is not in the catalogue.
func AreaOf(id ID) Area {
	r, _ := Lookup(id)
	return r.Area
}
