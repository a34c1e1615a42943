package fuzz

import (
	"github.com/pkcecheck/pkcecheck/requirements"
)

// Rule is one violation the oracle can find: what the server did wrong, on
// which side, and the catalogue requirement that forbids it. A finding's
// level is that requirement's level in the catalogue, the one `pkcecheck
// run` gives it, so fuzz and run cannot disagree on how bad a violation is.
type Rule struct {
	Name        string          `json:"name"` // stable, e.g. "token.verifier-missing"
	Side        string          `json:"side"` // SideAuthorize or SideToken
	Requirement requirements.ID `json:"requirement"`
	What        string          `json:"what"` // the violation, one line
}

// Level is the catalogue level of the rule's requirement.
func (r Rule) Level() requirements.Level {
	req, _ := requirements.Lookup(r.Requirement)
	return req.Level
}

// The oracle's rules. Authorization side: a code issued for a registration
// the server must refuse, or a valid registration refused. Token side:
// tokens for a request the server must refuse, or the right verifier
// refused.
var (
	RuleAuthorizeDuplicateMethod = Rule{"authorize.duplicate-method", SideAuthorize, requirements.DuplicateParams,
		"a code is issued for a repeated code_challenge_method"}
	RuleAuthorizeUnknownMethod = Rule{"authorize.unknown-method", SideAuthorize, requirements.MethodUnsupported,
		"a code is issued for an unregistered or wrongly-cased code_challenge_method"}
	RuleAuthorizeMalformedChallenge = Rule{"authorize.malformed-challenge", SideAuthorize, requirements.ChallengeFormat,
		"a code is issued for a challenge outside its method's grammar"}
	RuleAuthorizeS256Refused = Rule{"authorize.s256-refused", SideAuthorize, requirements.S256Roundtrip,
		"a well-formed S256 registration is refused"}

	RuleTokenVerifierMissing = Rule{"token.verifier-missing", SideToken, requirements.VerifierMissing,
		"tokens for a PKCE code without code_verifier"}
	RuleTokenVerifierEmpty = Rule{"token.verifier-empty", SideToken, requirements.VerifierEmpty,
		"tokens for an empty code_verifier"}
	RuleTokenVerifierRepeated = Rule{"token.verifier-repeated", SideToken, requirements.DuplicateParams,
		"tokens for a repeated code_verifier one of whose values is right"}
	RuleTokenVerifierMismatch = Rule{"token.verifier-mismatch", SideToken, requirements.VerifierMismatch,
		"tokens for a verifier that does not match the registered challenge"}
	RuleTokenChallengeAsVerifier = Rule{"token.challenge-as-verifier", SideToken, requirements.MethodBound,
		"tokens for an S256 code when the registered challenge itself is sent as the verifier"}
	RuleTokenVerifierLength = Rule{"token.verifier-length", SideToken, requirements.VerifierLength,
		"tokens for a matching verifier shorter than 43 or longer than 128 characters"}
	RuleTokenVerifierCharset = Rule{"token.verifier-charset", SideToken, requirements.VerifierCharset,
		"tokens for a matching verifier with characters outside [A-Za-z0-9-._~]"}
	RuleTokenS256Refused = Rule{"token.s256-refused", SideToken, requirements.S256Roundtrip,
		"the right S256 verifier of valid form is refused"}
	RuleTokenPlainForbidden = Rule{"token.plain-forbidden", SideToken, requirements.PlainPolicy,
		"tokens for the plain verifier of a plain code (code_challenge_method=plain, or omitted) although the policy forbids plain"}
	RuleTokenOmittedAsS256 = Rule{"token.omitted-method-as-s256", SideToken, requirements.MethodDefault,
		"tokens for the S256 preimage of a challenge registered without code_challenge_method (which means plain)"}
	RuleTokenOmittedPlainRefused = Rule{"token.omitted-method-plain-refused", SideToken, requirements.MethodDefault,
		"the challenge itself, the plain verifier of a code registered without code_challenge_method, is refused"}
	RuleTokenPlainRefused = Rule{"token.plain-refused", SideToken, requirements.PlainPolicy,
		"the right plain verifier is refused for a plain code the server issued"}
)

// Rules returns every rule of the oracle.
func Rules() []Rule {
	return []Rule{
		RuleAuthorizeDuplicateMethod, RuleAuthorizeUnknownMethod,
		RuleAuthorizeMalformedChallenge, RuleAuthorizeS256Refused,
		RuleTokenVerifierMissing, RuleTokenVerifierEmpty, RuleTokenVerifierRepeated, RuleTokenVerifierMismatch,
		RuleTokenChallengeAsVerifier, RuleTokenVerifierLength, RuleTokenVerifierCharset,
		RuleTokenPlainForbidden, RuleTokenOmittedAsS256, RuleTokenOmittedPlainRefused, RuleTokenS256Refused, RuleTokenPlainRefused,
	}
}

// RulesFor returns the rules that judge requirement id.
func RulesFor(id requirements.ID) []Rule {
	var out []Rule
	for _, r := range Rules() {
		if r.Requirement == id {
			out = append(out, r)
		}
	}
	return out
}
