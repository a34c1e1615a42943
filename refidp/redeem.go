package refidp

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// codeRecord is an issued authorization code and what it is bound to.
type codeRecord struct {
	clientID    string
	redirectURI string
	challenge   string // "" when issued without PKCE
	method      string
	scope       string
	subject     string
	issued      time.Time
	expires     time.Time
	used        bool
	redeemed    time.Time // when tokens were first issued for it
	presented   bool      // a token request has named this code
	// emptyChallenge: the request carried code_challenge= (empty) and the
	// downgrade-empty-challenge flaw took it as PKCE with nothing to compare.
	emptyChallenge bool
	tokens         []string // access tokens issued from this code
	refresh        []string // refresh tokens issued from this code (and its refreshes)
	verified       bool     // a PKCE check passed (read only under pkce-verified-flag)
}

// errUsed refuses an already-used code.
func errUsed() *tokenError {
	return &tokenError{code: "invalid_grant", desc: "the authorization code was already used", replay: true}
}

// redeem exchanges a code for tokens. Checking and marking the code used
// happen under one lock, so exactly one of concurrent redemptions wins
// (except under the racy-redeem flaw, which opens a window between them).
func (s *Server) redeem(c client, params map[string]string) (*tokenResponse, *tokenError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, e := s.checkCode(c, params)
	if e != nil {
		return nil, e
	}
	if s.has(flawRacyRedeem) {
		s.mu.Unlock()
		time.Sleep(racyWindow)
		s.mu.Lock()
	}
	if _, sent := params["code_verifier"]; sent && s.has(flawPKCEVerifiedFlag) && !c.confidential && rec.challenge != "" {
		rec.verified = true
		s.mu.Unlock()
		time.Sleep(verifiedWindow)
		s.mu.Lock()
		if rec.used {
			return nil, errUsed()
		}
	}
	if s.has(flawReplayAllowed) || s.replayAllowedFor(c) {
		s.revoke(rec) // keeps rfc6749.reuse-revokes clean: earlier tokens die
	}
	resp, e := s.issueTokens(rec, true)
	if e != nil {
		return nil, e
	}
	rec.used = true
	if rec.redeemed.IsZero() {
		rec.redeemed = s.now()
	}
	return resp, nil
}

// checkCode runs every check of a token request on its code. s.mu is held.
func (s *Server) checkCode(c client, params map[string]string) (*codeRecord, *tokenError) {
	rec := s.codes[params["code"]]
	if rec == nil {
		return nil, errGrant("the authorization code is unknown")
	}
	defer func() { rec.presented = true }()
	if rec.used && !s.has(flawReplayAllowed) && !s.replayAllowedFor(c) && !s.servedFromCache(rec) {
		if rec.clientID == c.id && !s.has(flawReplayKeepsTokens) {
			s.revoke(rec) // RFC 6749 §4.1.2
		}
		return nil, errUsed()
	}
	if s.now().After(rec.expires) && !s.has(flawCodeExpiryUnchecked) {
		return nil, errGrant("the authorization code has expired")
	}
	if rec.clientID != c.id && !s.has(flawCodeNotClientBound) && !(c.confidential && s.has(flawConfidentialAnyCode)) {
		return nil, errGrant("the authorization code was issued to another client")
	}
	if !s.has(flawRedirectURIUnchecked) && !s.redirectUncheckedFor(c) {
		if ru, ok := params["redirect_uri"]; !ok || (ru != rec.redirectURI && !(s.has(flawRedirectURIPrefix) && strings.HasPrefix(ru, rec.redirectURI))) {
			return nil, errGrant("redirect_uri is missing or differs from the authorization request")
		}
	}
	if e := s.verifyPKCE(rec, c, params); e != nil {
		switch {
		case c.confidential && rec.challenge != "" && s.has(flawFailureUnbindsPKCE),
			!c.confidential && rec.challenge != "" && s.has(flawFailureUnbindsPublic):
			rec.challenge, rec.method = "", ""
		case s.cfg.BurnOnFailure:
			rec.used = true
		}
		return nil, e
	}
	return rec, nil
}

// replayCacheWindow is how long the replay-cache-window flaw keeps serving a
// redeemed code.
const replayCacheWindow = 5 * time.Second

// servedFromCache reports whether, under the replay-cache-window flaw, a
// used code is still served as unused (redeemed less than the window ago).
func (s *Server) servedFromCache(rec *codeRecord) bool {
	return s.has(flawReplayCacheWindow) && !rec.redeemed.IsZero() && s.now().Sub(rec.redeemed) < replayCacheWindow
}

// verifyPKCE is checkPKCE as the race flaws run it. s.mu is held; under
// pkce-taken-before-check it is let go while the challenge is off the code.
func (s *Server) verifyPKCE(rec *codeRecord, c client, params map[string]string) *tokenError {
	if !s.has(flawPKCETakenBeforeCheck) || c.confidential || rec.challenge == "" {
		return s.checkPKCE(rec, c, params)
	}
	challenge, method := rec.challenge, rec.method
	rec.challenge, rec.method = "", ""
	s.mu.Unlock()
	time.Sleep(takenWindow)
	s.mu.Lock()
	rec.challenge, rec.method = challenge, method
	if e := s.checkPKCE(rec, c, params); e != nil {
		return e
	}
	if rec.used { // redeemed meanwhile by a request that found no challenge
		return errUsed()
	}
	return nil
}

// revoke invalidates every access and refresh token issued from a code
// (refresh tokens stay under replay-keeps-refresh). s.mu is held.
func (s *Server) revoke(rec *codeRecord) {
	for _, tok := range rec.tokens {
		if t := s.tokens[tok]; t != nil {
			t.revoked = true
		}
	}
	if s.has(flawReplayKeepsRefresh) {
		return
	}
	for _, tok := range rec.refresh {
		if t := s.refreshTokens[tok]; t != nil {
			t.revoked = true
		}
	}
}

// checkPKCE verifies the code_verifier of a token request against the code's
// binding (RFC 7636 §4.5, §4.6; RFC 9700 §4.8.2). s.mu is held.
func (s *Server) checkPKCE(rec *codeRecord, c client, params map[string]string) *tokenError {
	v, present := params["code_verifier"]
	if rec.challenge == "" {
		jwtDowngrade := c.authMethod == profiles.AuthPrivateKeyJWT && s.has(flawJWTDowngrade)
		if v != "" && !s.has(flawDowngrade) && !rec.emptyChallenge && !jwtDowngrade {
			return errRequest("code_verifier was sent for a code issued without code_challenge")
		}
		return nil
	}
	if c.confidential && (s.has(flawConfidentialSkipsPKCE) || (c.authMethod == profiles.AuthClientSecretPost && s.has(flawPostSkipsPKCE))) {
		return nil
	}
	lax := !c.confidential // the verifier flaws weaken public clients only
	if lax && s.has(flawVerifierIfNonEmpty) && v == "" {
		return nil
	}
	if lax && s.has(flawChallengePerClient) {
		rec = s.latestBinding(rec)
	}
	if !present {
		if lax && s.has(flawPKCEVerifiedFlag) && rec.verified {
			return nil
		}
		if lax && s.has(flawVerifierOptional) {
			return nil
		}
		return errRequest("code_verifier is required")
	}
	if v == "" {
		if lax && s.has(flawEmptyVerifierAccepted) {
			return nil
		}
		return errRequest("code_verifier is empty")
	}
	if !s.verifierFormatOK(v, lax) {
		if s.has(flawErrorEchoesInput) {
			return &tokenError{code: "invalid_request", desc: fmt.Sprintf("code_verifier %q must be 43 to 128 characters of [A-Za-z0-9-._~]", v), raw: true}
		}
		return errRequest("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]")
	}
	if lax && s.has(flawS256ShortOnly) && rec.method == pkce.MethodS256 && len(v) > 100 {
		return errGrant("code_verifier does not match the code_challenge")
	}
	if lax && s.has(flawS256TruncatedVerifier) && rec.method == pkce.MethodS256 && len(v) > 64 {
		v = v[:64]
	}
	if lax && s.has(flawTokenMethodOverride) && params["code_challenge_method"] == pkce.MethodPlain &&
		subtle.ConstantTimeCompare([]byte(v), []byte(rec.challenge)) == 1 {
		return nil
	}
	if s.matches(rec, v, lax) {
		return nil
	}
	if lax && s.has(flawVerifierNotBound) && s.matchesOutstanding(rec, v) {
		return nil
	}
	return errGrant("code_verifier does not match the code_challenge")
}

// verifierFormatOK checks the RFC 7636 §4.1 grammar, minus the aspects the
// length and charset flaws skip or loosen.
func (s *Server) verifierFormatOK(v string, lax bool) bool {
	if ok, handled := s.partialVerifierCheck(v); lax && handled {
		return ok
	}
	skipLength := lax && s.has(flawNoLengthCheck)
	skipMax := lax && s.has(flawNoMaxLength)
	skipCharset := lax && s.has(flawNoCharsetCheck)
	unicodeLetters := lax && s.has(flawUnicodeLettersAccepted)
	if !skipLength && !skipMax && !skipCharset && !unicodeLetters {
		return pkce.ValidateVerifier(v) == nil
	}
	switch {
	case skipLength:
	case len(v) < pkce.MinVerifierLen:
		return false
	case len(v) > pkce.MaxVerifierLen && !skipMax:
		return false
	}
	bad := func(r rune) bool { return !strings.ContainsRune(pkce.Unreserved, r) }
	if unicodeLetters {
		bad = func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-._~", r)
		}
	}
	return skipCharset || strings.IndexFunc(v, bad) < 0
}

// latestBinding is rec with the challenge and method of its client's most
// recent authorization request (the challenge-per-client flaw). s.mu is held.
func (s *Server) latestBinding(rec *codeRecord) *codeRecord {
	var latest *codeRecord
	for _, other := range s.codes {
		if other.clientID == rec.clientID && other.challenge != "" && (latest == nil || other.issued.After(latest.issued)) {
			latest = other
		}
	}
	if latest == nil || latest == rec {
		return rec
	}
	c := *rec
	c.challenge, c.method = latest.challenge, latest.method
	return &c
}

// matches transforms v with the code's bound method and compares it with
// the stored challenge in constant time. The comparison flaws loosen it for
// S256 codes of public clients.
func (s *Server) matches(rec *codeRecord, v string, lax bool) bool {
	computed, err := pkce.Challenge(v, rec.method)
	if err != nil {
		return false
	}
	if subtle.ConstantTimeCompare([]byte(computed), []byte(rec.challenge)) == 1 {
		return true
	}
	if !lax || rec.method != pkce.MethodS256 {
		return false
	}
	const prefix = 40
	switch {
	case s.has(flawPrefixCompare) && len(computed) >= prefix && len(rec.challenge) >= prefix &&
		computed[:prefix] == rec.challenge[:prefix]:
		return true
	case s.has(flawCaseInsensitiveCompare) && strings.EqualFold(computed, rec.challenge):
		return true
	case s.has(flawMethodNotBound) && subtle.ConstantTimeCompare([]byte(v), []byte(rec.challenge)) == 1:
		return true
	}
	return false
}

// matchesOutstanding reports whether v matches the challenge of another
// outstanding code of the same client: live and never named by a token
// request (the verifier-not-bound flaw). Codes that already saw a token
// request are left out so that a mismatch probe reusing one verifier for
// several codes does not trip this flaw. s.mu is held.
func (s *Server) matchesOutstanding(rec *codeRecord, v string) bool {
	now := s.now()
	for _, other := range s.codes {
		if other == rec || other.used || other.presented || other.clientID != rec.clientID || other.challenge == "" || now.After(other.expires) {
			continue
		}
		if computed, err := pkce.Challenge(v, other.method); err == nil &&
			subtle.ConstantTimeCompare([]byte(computed), []byte(other.challenge)) == 1 {
			return true
		}
	}
	return false
}
