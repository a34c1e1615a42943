package fuzz

import (
	"strconv"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Decision is what the reference says an endpoint must do with a request.
type Decision string

// Decisions.
const (
	Accept Decision = "accept" // issue a code / tokens
	Refuse Decision = "refuse" // answer with an error
	Either Decision = "either" // both are conforming
)

// Policy is the part of a profile's policy the oracle needs.
type Policy struct {
	// PlainAllowed: the policy allows plain (the server may still refuse it).
	PlainAllowed bool `json:"plain_allowed"`
	// LenientErrors: policy.error_codes lenient. Any refusal without
	// tokens is the refusal the oracle asks for, whatever its status or
	// code, as in run (where rfc6749.error-response alone judges the
	// code). Only the expected error text changes: the oracle judges
	// whether tokens were issued, under both policies.
	LenientErrors bool `json:"lenient_errors"`
}

// Expectation is the reference decision for one case.
type Expectation struct {
	Authorize Decision `json:"authorize"`
	// AuthorizeWhy says why, with the requirement a wrong answer violates.
	AuthorizeWhy string `json:"authorize_reason"`
	// AuthorizeRule is the rule a wrong answer breaks (none for Either).
	AuthorizeRule Rule `json:"-"`

	// Token is the decision for the token request, given that a code was
	// issued for the registration.
	Token      Decision `json:"token"`
	TokenError string   `json:"token_error,omitempty"` // the error code(s) a refusal should carry
	TokenWhy   string   `json:"token_reason"`
	// TokenRule is the rule a wrong answer breaks (none for Either).
	TokenRule Rule `json:"-"`
}

// Errors a refusal should carry.
const (
	errGrant          = "invalid_grant"
	errRequestOrGrant = "invalid_request or invalid_grant"
)

// effective is a registration as RFC 7636 reads it.
type effective struct {
	method   string // pkce.MethodS256 or pkce.MethodPlain; "" when unusable
	explicit bool   // the method parameter was sent with a value
	// forbidden: plain, named or left implicit, although the policy
	// forbids it. A code may be issued; the plain verifier must not redeem
	// it.
	forbidden bool
}

// Expect is the oracle: what RFC 7636 (and RFC 6749 §3.1/§3.2 for empty and
// repeated parameters) requires of the server for case c under policy p.
//
// /authorize must refuse unknown or wrongly-cased methods, repeated
// parameters, and challenges outside the method's grammar; it must accept a
// well-formed S256 registration. Where the policy forbids plain it may
// accept or refuse plain, named (code_challenge_method=plain) or left
// implicit (an omitted method means plain, RFC 7636 §4.3), but the token
// endpoint must then refuse the plain verifier (rfc7636.plain-policy); it
// may also accept or refuse an S256 challenge whose last character is not
// canonical (no verifier can match it). The token endpoint must accept only
// the exact right verifier of valid form (43-128 unreserved characters) for a
// validly registered challenge, sent once; everything else must be refused.
// A code registered without a method must never be redeemed by the S256
// preimage of its challenge. These are the judgements of `pkcecheck run`'s
// specs for the same requirements. Under lenient error codes a refusal may
// carry any status and code (see Policy.LenientErrors).
func Expect(c Case, p Policy) Expectation {
	e := expect(c, p)
	if p.LenientErrors && e.Token == Refuse {
		e.TokenError = "any refusal without tokens (error_codes: lenient; the RFCs name " + e.TokenError + ")"
	}
	return e
}

// expect is Expect with the error codes the RFCs name.
func expect(c Case, p Policy) Expectation {
	var e Expectation
	challenge := c.RegisteredChallenge()
	eff := e.authorize(c, challenge, p)

	sent := c.SentVerifiers()
	switch {
	case sent == nil:
		e.refuseToken(errRequestOrGrant, "code_verifier is missing", RuleTokenVerifierMissing)
		return e
	case len(sent) > 1:
		for _, v := range sent {
			if e.right(v, challenge, eff) {
				e.refuseToken(errRequestOrGrant+" (invalid_request)", "code_verifier is repeated", RuleTokenVerifierRepeated)
				return e
			}
		}
		e.refuseToken(errRequestOrGrant, "code_verifier is repeated and no value is right", RuleTokenVerifierMismatch)
		return e
	case sent[0] == "":
		e.refuseToken(errRequestOrGrant, "code_verifier is empty", RuleTokenVerifierEmpty)
		return e
	}
	v := sent[0]
	if !e.right(v, challenge, eff) {
		if e.Authorize != Refuse && eff.method == pkce.MethodPlain && !eff.explicit && pkce.S256(v) == challenge {
			e.refuseToken(errGrant, "a challenge without code_challenge_method is plain; its S256 preimage is not its verifier", RuleTokenOmittedAsS256)
			return e
		}
		if eff.method == pkce.MethodS256 && v == challenge {
			e.refuseToken(errGrant, "the registered S256 challenge itself is not a verifier", RuleTokenChallengeAsVerifier)
			return e
		}
		e.refuseToken(errGrant, "the verifier does not match the registered challenge", RuleTokenVerifierMismatch)
		return e
	}
	if err := pkce.ValidateVerifier(v); err != nil {
		rule := RuleTokenVerifierCharset
		if len(v) < pkce.MinVerifierLen || len(v) > pkce.MaxVerifierLen {
			rule = RuleTokenVerifierLength
		}
		e.refuseToken(errRequestOrGrant, "the verifier matches but is malformed: "+err.Error(), rule)
		return e
	}
	if e.Authorize == Refuse {
		// A code the reference would not have issued: a server that took an
		// odd method name for S256 (or plain) and redeems the right verifier
		// made its mistake at /authorize; that is reported there.
		e.Token, e.TokenWhy = Either, "the registration should have been refused; the right verifier under an S256 or plain reading may redeem"
		return e
	}
	if eff.forbidden {
		e.refuseToken(errGrant, "plain is forbidden by the policy: the plain verifier must not redeem the code", RuleTokenPlainForbidden)
		return e
	}
	e.Token, e.TokenWhy, e.TokenRule = Accept, "the right verifier of valid form for a valid registration", RuleTokenS256Refused
	switch {
	case eff.method == pkce.MethodPlain && eff.explicit:
		e.TokenRule = RuleTokenPlainRefused
	case eff.method == pkce.MethodPlain:
		e.TokenRule = RuleTokenOmittedPlainRefused
	}
	return e
}

// authorize fills the authorization decision and returns the effective
// registration.
func (e *Expectation) authorize(c Case, challenge string, p Policy) effective {
	refuse := func(why string, rule Rule) effective {
		e.Authorize, e.AuthorizeWhy, e.AuthorizeRule = Refuse, why, rule
		return effective{}
	}
	var eff effective
	switch {
	case len(c.Methods) > 1:
		return refuse("code_challenge_method is repeated (RFC 6749 §3.1)", RuleAuthorizeDuplicateMethod)
	case len(c.Methods) == 0 || c.Methods[0] == "": // empty counts as omitted (RFC 6749 §3.1)
		eff.method = pkce.MethodPlain // RFC 7636 §4.3
	case c.Methods[0] == pkce.MethodS256 || c.Methods[0] == pkce.MethodPlain:
		eff.method, eff.explicit = c.Methods[0], true
	default:
		return refuse("code_challenge_method "+quote(c.Methods[0])+" is not a registered method (names are case-sensitive)", RuleAuthorizeUnknownMethod)
	}
	if err := pkce.ValidateChallenge(challenge, eff.method); err != nil {
		return refuse("malformed challenge: "+err.Error(), RuleAuthorizeMalformedChallenge)
	}
	switch {
	case eff.method == pkce.MethodPlain && !p.PlainAllowed:
		// Named or left implicit (an omitted method means plain, RFC 7636
		// §4.3), plain is judged by the policy alone: a code may be
		// issued, the plain verifier must not redeem it.
		eff.forbidden = true
		e.Authorize, e.AuthorizeWhy = Either, "plain is forbidden by the policy: a code may be issued, but the plain verifier must not redeem it"
		if !eff.explicit {
			e.AuthorizeWhy = "an omitted code_challenge_method means plain, which the policy forbids: a code may be issued, but the plain verifier must not redeem it"
		}
	case eff.method == pkce.MethodPlain:
		e.Authorize, e.AuthorizeWhy = Either, "plain is allowed by the policy, but the server need not offer it"
	case !pkce.CanonicalS256(challenge):
		e.Authorize, e.AuthorizeWhy = Either, "the last character of the S256 challenge is not canonical base64url: no verifier can match it, and RFC 7636 compares challenges as strings, so it may be accepted or refused"
	default:
		e.Authorize, e.AuthorizeWhy, e.AuthorizeRule = Accept, "a well-formed S256 registration", RuleAuthorizeS256Refused
	}
	return eff
}

// right reports whether v is the right verifier for the registration: under
// the effective method when the registration is valid, and under either an
// S256 or a plain reading, of the challenge as sent or trimmed of
// surrounding whitespace, when the reference would have refused it.
func (e *Expectation) right(v, challenge string, eff effective) bool {
	if e.Authorize == Refuse {
		// Also the reading of a server that trims the challenge: the
		// malformed registration is its mistake, judged at /authorize.
		trimmed := strings.TrimSpace(challenge)
		return pkce.S256(v) == challenge || v == challenge || pkce.S256(v) == trimmed || v == trimmed
	}
	if eff.method == pkce.MethodPlain {
		return v == challenge
	}
	return pkce.S256(v) == challenge
}

func (e *Expectation) refuseToken(errCode, why string, rule Rule) {
	e.Token, e.TokenError, e.TokenWhy, e.TokenRule = Refuse, errCode, why, rule
}

func quote(s string) string { return strconv.Quote(s) }
