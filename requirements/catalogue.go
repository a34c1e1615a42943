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
	ID     string // stable, e.g. "rfc7636.verifier-missing"
	Source string // e.g. "RFC 7636 §4.5, §4.6"
	Level  Level
	Text   string // one line: what the server must or should do
	Passes string // what counts as passing
}

var catalogue = []Requirement{
	{"rfc7636.s256-roundtrip", "RFC 7636 §4.2, §4.6", MUST,
		"Redeem a code with the correct S256 verifier",
		"43- and 128-character verifiers over the full unreserved charset are exchanged for tokens"},
	{"rfc7636.verifier-missing", "RFC 7636 §4.5, §4.6", MUST,
		"Reject a token request without code_verifier when a challenge was sent",
		"the token request is answered with an error and no token"},
	{"rfc7636.verifier-empty", "RFC 7636 §4.5; RFC 6749 §3.2", MUST,
		"Reject an empty code_verifier",
		"`code_verifier=` is answered with an error and no token"},
	{"rfc7636.verifier-mismatch", "RFC 7636 §4.6", MUST,
		"Reject a verifier that does not match the challenge, with invalid_grant",
		"random, one-character-changed, case-flipped, truncated and extended verifiers, and the right verifier against a near-miss challenge, are all refused"},
	{"rfc7636.verifier-swapped", "RFC 7636 §4.4", MUST,
		"Reject the verifier of another live flow of the same client",
		"a code redeemed with another flow's verifier is refused"},
	{"rfc7636.method-bound", "RFC 7636 §4.5, §7.2", MUST,
		"For an S256 code, reject the challenge itself sent as the verifier",
		"the challenge sent as code_verifier is refused"},
	{"rfc7636.verifier-length", "RFC 7636 §4.1, §7.1", MUST,
		"Reject 42- and 129-character verifiers even when their challenge matches",
		"both out-of-range verifiers are refused"},
	{"rfc7636.verifier-charset", "RFC 7636 §4.1", MUST,
		"Reject verifiers with characters outside [A-Za-z0-9-._~] even when their challenge matches",
		"every verifier with a character outside the unreserved set is refused"},
	{"rfc7636.challenge-missing", "RFC 7636 §4.4.1", MUST,
		"Answer invalid_request at /authorize when PKCE is required and no challenge, or an empty one, is sent",
		"no code is issued without a challenge where the policy requires PKCE"},
	{"rfc7636.challenge-format", "RFC 7636 §4.2", SHOULD,
		"Reject malformed challenges at /authorize",
		"challenges of the wrong length, padded, with +/ or non-ASCII are refused at /authorize"},
	{"rfc7636.method-unsupported", "RFC 7636 §4.4.1", MUST,
		"Answer invalid_request for unknown or wrongly-cased methods",
		"S512, s256, SHA256 and `S256 ` are refused at /authorize"},
	{"rfc7636.method-default", "RFC 7636 §4.3", MUST,
		"Treat an omitted method as plain",
		"a challenge without a method is refused where plain is not supported, or verified as plain"},
	{"rfc7636.plain-policy", "RFC 7636 §7.2; OAuth 2.1", MUST,
		"Accept plain only where the policy allows it, and then verify it correctly",
		"plain is refused under `plain: forbidden`; where it is accepted, only the exact verifier redeems the code"},
	{"rfc6749.error-response", "RFC 6749 §5.2", MUST,
		"Answer token errors with 400 (401 only for invalid_client), JSON and a registered error code",
		"every token error seen is a 400 JSON object with a registered error code"},
	{"rfc6749.code-single-use", "RFC 6749 §4.1.2", MUST,
		"Reject a second redemption of a code",
		"the second redemption of a redeemed code is refused"},
	{"rfc6749.reuse-revokes", "RFC 6749 §4.1.2", SHOULD,
		"Revoke tokens issued from a code that was replayed",
		"after a replay the first access token no longer works"},
	{"rfc6749.code-race", "RFC 6749 §4.1.2", MUST,
		"Let at most one of N concurrent redemptions succeed",
		"exactly one of the concurrent redemptions gets tokens"},
	{"rfc6749.code-client-bound", "RFC 6749 §4.1.3", MUST,
		"Reject a code redeemed by another client",
		"another client's redemption of the code is refused"},
	{"rfc6749.redirect-uri-bound", "RFC 6749 §4.1.3", MUST,
		"Reject a changed redirect_uri at the token endpoint",
		"a changed redirect_uri is refused"},
	{"rfc6749.no-store", "RFC 6749 §5.1", MUST,
		"Send Cache-Control: no-store on token responses",
		"every token response carries Cache-Control: no-store"},
	{"rfc6749.duplicate-params", "RFC 6749 §3.1, §3.2", SHOULD,
		"Reject duplicated PKCE parameters at /authorize and /token with invalid_request",
		"two challenges, two methods and two verifiers are refused"},
	{"rfc9700.downgrade", "RFC 9700 §4.8.2", MUST,
		"Reject a code_verifier for a code issued without a challenge",
		"a verifier sent for a challenge-less code is refused"},
	{"rfc9700.confidential-pkce", "RFC 9700 §2.1.1", MUST,
		"Enforce PKCE for confidential clients too when a challenge was sent",
		"a confidential client's code is not redeemed without the right verifier"},
	{"rfc8414.methods-advertised", "RFC 8414 §2; RFC 9700 §2.1.1", MUST,
		"Never accept a method the metadata leaves out",
		"code_challenge_methods_supported lists S256 and every method the server accepts"},

	// Informational results: measurements, pass or warn, never fail.
	{"info.failed-verifier-burns-code", "RFC 6749 §10.5; OAuth 2.1 §7.5.3", INFO,
		"Record whether a failed verifier attempt consumes the code (bounds online guessing)",
		"recorded whether a code survives a failed verifier attempt (burning it bounds online guessing; keeping it is allowed)"},
	{"info.error-iss", "RFC 9207 §2", INFO,
		"Carry iss, equal to the issuer, on authorization error redirects",
		"error redirects carry iss equal to the metadata issuer"},
}

// All returns the catalogue in its stable order.
func All() []Requirement { return append([]Requirement(nil), catalogue...) }

// Lookup returns the requirement with the given ID.
func Lookup(id string) (Requirement, bool) {
	for _, r := range catalogue {
		if r.ID == id {
			return r, true
		}
	}
	return Requirement{}, false
}

// IDs returns every ID, sorted.
func IDs() []string {
	out := make([]string, len(catalogue))
	for i, r := range catalogue {
		out[i] = r.ID
	}
	sort.Strings(out)
	return out
}
