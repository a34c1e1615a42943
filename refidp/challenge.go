package refidp

import (
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// bindChallenge decides the PKCE binding of an authorization request
// (RFC 7636 §4.3, §4.4.1): it returns the challenge and method to store with
// the code ("" and "" for a code without PKCE) or the error to send back.
// sent says whether code_challenge was in the request (with an empty value
// when challenge is ""); an empty one counts as omitted (RFC 6749 §3.1),
// except under the empty-challenge flaws.
func (s *Server) bindChallenge(c client, challenge string, sent bool, method string) (string, string, *authError) {
	if s.has(flawChallengeTrimmed) {
		challenge = strings.TrimSpace(challenge)
	}
	if challenge == "" && sent && !c.confidential && s.has(flawEmptyChallengeNoPKCE) {
		return "", "", nil // the empty challenge turns PKCE off for this code
	}
	if challenge == "" { // an empty parameter counts as omitted (RFC 6749 §3.1)
		optional := c.confidential || s.has(flawPKCEOptional)
		if !optional {
			return "", "", &authError{"invalid_request", "code_challenge is required"}
		}
		ignored := c.confidential && (s.has(flawMethodOnlyIgnored) || (sent && s.has(flawEmptyChallengeWithMethod)))
		if method != "" && !ignored {
			return "", "", &authError{"invalid_request", "code_challenge_method was sent without code_challenge"}
		}
		return "", "", nil
	}
	grammar := method // the method whose challenge grammar applies
	switch {
	case method == "":
		switch {
		case s.has(flawDefaultMethodS256):
			method, grammar = pkce.MethodS256, pkce.MethodPlain
		case s.has(flawDefaultMethodS256Strict):
			method, grammar = pkce.MethodS256, pkce.MethodS256
		default:
			method, grammar = pkce.MethodPlain, pkce.MethodPlain // RFC 7636 §4.3
		}
		if method == pkce.MethodPlain && s.has(flawDefaultPlainImplicit) {
			if e := s.checkChallengeGrammar(challenge, grammar); e != nil {
				return "", "", e
			}
			return challenge, method, nil // plain, though plain is not supported by name
		}
	case method == pkce.MethodS256 || method == pkce.MethodPlain:
	case s.has(flawMethodCaseInsensitive) && strings.EqualFold(method, pkce.MethodS256):
		method, grammar = pkce.MethodS256, pkce.MethodS256
	case s.partialMethodS256(method):
		method, grammar = pkce.MethodS256, pkce.MethodS256
	case s.has(flawUnknownMethodAsS256):
		method, grammar = pkce.MethodS256, pkce.MethodS256
	default:
		return "", "", &authError{"invalid_request", "code_challenge_method is not supported (use S256)"}
	}
	if method == pkce.MethodPlain && !s.plainSupported() {
		return "", "", &authError{"invalid_request", "code_challenge_method plain is not supported (use S256)"}
	}
	if e := s.checkChallengeGrammar(challenge, grammar); e != nil {
		return "", "", e
	}
	return challenge, method, nil
}

// checkChallengeGrammar checks the challenge against the grammar of method
// (RFC 7636 §4.2), unless a format flaw loosens it.
func (s *Server) checkChallengeGrammar(challenge, grammar string) *authError {
	if s.has(flawLaxChallengeFormat) {
		return nil
	}
	if ok, handled := s.partialChallengeCheck(challenge); handled && grammar == pkce.MethodS256 {
		if !ok {
			return &authError{"invalid_request", "code_challenge is malformed for " + grammar}
		}
		return nil
	}
	if grammar == pkce.MethodS256 && s.has(flawS256VerifierGrammar) {
		grammar = pkce.MethodPlain // 43 to 128 unreserved characters
	}
	if err := pkce.ValidateChallenge(challenge, grammar); err != nil {
		return &authError{"invalid_request", "code_challenge is malformed for " + grammar}
	}
	return nil
}
