package fuzz

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// sim is an in-memory model of refidp's PKCE decisions with a few
// of its flaws, used as a fake target: campaigns and the shrinker run
// against it offline, in microseconds.
type sim struct {
	flaws map[string]bool
	plain bool // plain supported
	// canonical: S256 challenges must also decode canonically (a strict
	// server); otherwise length and alphabet are checked, as most do.
	canonical bool
	codes     map[string]simCode
	n         int

	authorizeCalls, tokenCalls int
	failAfter                  int // > 0: Authorize fails after this many calls
}

type simCode struct{ challenge, method string }

func newSim(flaws ...string) *sim {
	s := &sim{flaws: map[string]bool{}, codes: map[string]simCode{}}
	for _, f := range flaws {
		s.flaws[f] = true
	}
	return s
}

var errSimDown = errors.New("simulated target down")

func (s *sim) Authorize(ctx context.Context, r Registration) (AuthOutcome, string, error) {
	if err := ctx.Err(); err != nil {
		return AuthOutcome{}, "", err
	}
	s.authorizeCalls++
	if s.failAfter > 0 && s.authorizeCalls > s.failAfter {
		return AuthOutcome{}, "", errSimDown
	}
	refuse := AuthOutcome{Error: "invalid_request"}
	if len(r.Methods) > 1 || r.Challenge == "" {
		return refuse, "", nil
	}
	method, grammar := "", ""
	switch {
	case len(r.Methods) == 0 || r.Methods[0] == "":
		method, grammar = pkce.MethodPlain, pkce.MethodPlain
		switch {
		case s.flaws["default-method-s256"]:
			method = pkce.MethodS256
		case s.flaws["default-method-s256-strict"]:
			method, grammar = pkce.MethodS256, pkce.MethodS256
		}
	case r.Methods[0] == pkce.MethodS256 || r.Methods[0] == pkce.MethodPlain:
		method, grammar = r.Methods[0], r.Methods[0]
	case s.flaws["unknown-method-as-s256"]:
		method, grammar = pkce.MethodS256, pkce.MethodS256
	default:
		return refuse, "", nil
	}
	if method == pkce.MethodPlain && !s.plain {
		return refuse, "", nil
	}
	if !s.flaws["lax-challenge-format"] && pkce.ValidateChallenge(r.Challenge, grammar) != nil {
		return refuse, "", nil
	}
	if s.canonical && grammar == pkce.MethodS256 && !pkce.CanonicalS256(r.Challenge) {
		return refuse, "", nil
	}
	s.n++
	code := "code-" + strconv.Itoa(s.n)
	s.codes[code] = simCode{r.Challenge, method}
	return AuthOutcome{Issued: true}, code, nil
}

func (s *sim) Token(ctx context.Context, code string, verifiers []string) (TokenOutcome, error) {
	if err := ctx.Err(); err != nil {
		return TokenOutcome{}, err
	}
	s.tokenCalls++
	rec, ok := s.codes[code]
	delete(s.codes, code)
	grant := TokenOutcome{Status: 400, Error: "invalid_grant"}
	request := TokenOutcome{Status: 400, Error: "invalid_request"}
	switch {
	case !ok:
		return grant, nil
	case len(verifiers) > 1:
		return request, nil
	case len(verifiers) == 0:
		if s.flaws["verifier-optional"] {
			return TokenOutcome{Issued: true, Status: 200}, nil
		}
		return request, nil
	case verifiers[0] == "":
		return request, nil
	}
	v := verifiers[0]
	if s.flaws["server-error-on-malformed"] && pkce.ValidateVerifier(v) != nil {
		return TokenOutcome{Status: 500}, nil
	}
	if !s.flaws["no-length-check"] && (len(v) < 43 || len(v) > 128) {
		return request, nil
	}
	if !s.flaws["no-charset-check"] && strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune(pkce.Unreserved, r) }) >= 0 {
		return request, nil
	}
	if s.flaws["s256-short-only"] && rec.method == pkce.MethodS256 && len(v) > 100 {
		return grant, nil
	}
	computed, _ := pkce.Challenge(v, rec.method)
	switch {
	case computed == rec.challenge,
		s.flaws["prefix-compare"] && rec.method == pkce.MethodS256 && len(computed) >= 40 && len(rec.challenge) >= 40 && computed[:40] == rec.challenge[:40],
		s.flaws["case-insensitive-compare"] && rec.method == pkce.MethodS256 && strings.EqualFold(computed, rec.challenge),
		s.flaws["method-not-bound"] && rec.method == pkce.MethodS256 && v == rec.challenge,
		s.flaws["pkce-ignored"]:
		return TokenOutcome{Issued: true, Status: 200}, nil
	}
	return grant, nil
}
