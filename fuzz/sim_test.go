package fuzz

import (
	"context"
	"errors"
	"net/url"
	"regexp"
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
	if s.flaws["challenge-trimmed"] {
		r.Challenge = strings.TrimSpace(r.Challenge)
	}
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
	case s.flaws["unknown-method-as-s256"], s.partialMethod(r.Methods[0]):
		method, grammar = pkce.MethodS256, pkce.MethodS256
	default:
		return refuse, "", nil
	}
	if method == pkce.MethodPlain && !s.plain {
		return refuse, "", nil
	}
	switch {
	case grammar == pkce.MethodS256 && s.flaws["challenge-unreserved-alphabet"]:
		if len(r.Challenge) != 43 || pkce.ValidateChallenge(r.Challenge, pkce.MethodPlain) != nil {
			return refuse, "", nil
		}
	case grammar == pkce.MethodS256 && s.flaws["challenge-regexp-prefix"]:
		if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}`).MatchString(r.Challenge) {
			return refuse, "", nil
		}
	case !s.flaws["lax-challenge-format"] && pkce.ValidateChallenge(r.Challenge, grammar) != nil:
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
	if ok, partial := s.partialVerifier(v); partial && !ok {
		return request, nil
	} else if !partial {
		if !s.flaws["no-length-check"] && (len(v) < 43 || len(v) > 128) {
			return request, nil
		}
		if !s.flaws["no-charset-check"] && strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune(pkce.Unreserved, r) }) >= 0 {
			return request, nil
		}
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

// partialMethod models refidp's method flaws that match a name in part.
func (s *sim) partialMethod(m string) bool {
	switch {
	case s.flaws["method-contains-s256"]:
		return strings.Contains(m, "S256")
	case s.flaws["method-prefix-of-s256"]:
		return m != "" && strings.HasPrefix("S256", m)
	case s.flaws["method-trimmed"]:
		return strings.TrimSpace(m) == "S256"
	}
	return false
}

// partialVerifier models refidp's verifier grammar checks that see part of
// the value; partial is false when none is on.
func (s *sim) partialVerifier(v string) (ok, partial bool) {
	unreserved := func(r rune) bool { return strings.ContainsRune(pkce.Unreserved, r) }
	switch {
	case s.flaws["charset-regexp-unanchored-start"]:
		return regexp.MustCompile(`[A-Za-z0-9._~-]{43,128}$`).MatchString(v), true
	case s.flaws["charset-regexp-unanchored-end"]:
		return regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}`).MatchString(v), true
	case s.flaws["charset-blacklist"]:
		return len(v) >= 43 && len(v) <= 128 && !strings.ContainsAny(v, " \t\r\n\x00+/=%") &&
			strings.IndexFunc(v, func(r rune) bool { return r > 0x7f }) < 0, true
	case s.flaws["verifier-decoded-twice"]:
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		return pkce.ValidateVerifier(v) == nil, true
	case s.flaws["verifier-length-in-a-byte"]:
		n := uint8(len(v))
		return n >= 43 && n <= 128 && strings.IndexFunc(v, func(r rune) bool { return !unreserved(r) }) < 0, true
	}
	return false, false
}
