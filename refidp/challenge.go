package refidp

import (
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// bindChallenge decides the PKCE binding of an authorization request
// (RFC 7636 §4.3, §4.4.1): it returns the challenge and method to store with
// the code ("" and "" for a code without PKCE) or the error to send back.
func (s *Server) bindChallenge(c client, challenge, method string) (string, string, *authError) {
	if challenge == "" { // an empty parameter counts as omitted (RFC 6749 §3.1)
		optional := c.confidential || s.has(flawPKCEOptional)
		if !optional {
			return "", "", &authError{"invalid_request", "code_challenge is required"}
		}
		if method != "" && !(s.has(flawPKCEOptional) && !c.confidential) {
			return "", "", &authError{"invalid_request", "code_challenge_method was sent without code_challenge"}
		}
		return "", "", nil
	}
	grammar := method // the method whose challenge grammar applies
	switch {
	case method == "":
		if s.has(flawDefaultMethodS256) {
			method, grammar = pkce.MethodS256, pkce.MethodPlain
		} else {
			method, grammar = pkce.MethodPlain, pkce.MethodPlain // RFC 7636 §4.3
		}
	case method == pkce.MethodS256 || method == pkce.MethodPlain:
	case s.has(flawUnknownMethodAsS256):
		method, grammar = pkce.MethodS256, pkce.MethodS256
	default:
		return "", "", &authError{"invalid_request", "code_challenge_method is not supported (use S256)"}
	}
	if method == pkce.MethodPlain && !s.plainSupported() {
		return "", "", &authError{"invalid_request", "code_challenge_method plain is not supported (use S256)"}
	}
	if !s.has(flawLaxChallengeFormat) {
		if err := pkce.ValidateChallenge(challenge, grammar); err != nil {
			return "", "", &authError{"invalid_request", "code_challenge is malformed for " + grammar}
		}
	}
	return challenge, method, nil
}
