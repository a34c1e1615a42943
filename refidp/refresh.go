package refidp

import "time"

// refreshLifetime is how long a refresh token lives.
const refreshLifetime = 24 * time.Hour

// refreshRecord is an issued refresh token. Refresh tokens rotate: each
// refresh revokes the one it used and issues a new one.
type refreshRecord struct {
	clientID string
	code     *codeRecord // the code the token family comes from
	expires  time.Time
	revoked  bool
}

// issueTokens mints an access and a refresh token from rec. link records
// both on the code, so a replay of the code revokes them. s.mu is held.
func (s *Server) issueTokens(rec *codeRecord, link bool) (*tokenResponse, *tokenError) {
	tok, err1 := randomID()
	rt, err2 := randomID()
	if err1 != nil || err2 != nil {
		return nil, &tokenError{code: "server_error", desc: "the token could not be generated"}
	}
	now := s.now()
	for k, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, k)
		}
	}
	for k, t := range s.refreshTokens {
		if now.After(t.expires) {
			delete(s.refreshTokens, k)
		}
	}
	s.tokens[tok] = &tokenRecord{clientID: rec.clientID, subject: rec.subject, scope: rec.scope, expires: now.Add(tokenLifetime)}
	if !s.issuesRefresh(rec.clientID) {
		rt = ""
	} else {
		s.refreshTokens[rt] = &refreshRecord{clientID: rec.clientID, code: rec, expires: now.Add(refreshLifetime)}
	}
	if link {
		rec.tokens = append(rec.tokens, tok)
		if rt != "" {
			rec.refresh = append(rec.refresh, rt)
		}
	}
	return &tokenResponse{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int(tokenLifetime / time.Second),
		RefreshToken: rt, Scope: rec.scope}, nil
}

// refresh runs the refresh token grant (RFC 6749 §6, OAuth 2.1 §4.3): no
// code_verifier belongs in it, the PKCE binding ended with the code.
func (s *Server) refresh(c client, params map[string]string) (*tokenResponse, *tokenError) {
	if !c.confidential && s.has(flawRefreshRequiresVerifier) {
		if _, ok := params["code_verifier"]; !ok {
			return nil, errRequest("code_verifier is required")
		}
	}
	if !c.confidential && s.has(flawRefreshPublicRefused) {
		return nil, errClient("the refresh token grant needs client authentication")
	}
	if e := s.confidentialRefresh(c, params); e != nil {
		return nil, e
	}
	if params["refresh_token"] == "" {
		return nil, errRequest("refresh_token is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.refreshTokens[params["refresh_token"]]
	if old == nil || old.revoked || s.now().After(old.expires) || old.clientID != c.id {
		return nil, errGrant("the refresh token is invalid, expired or revoked")
	}
	old.revoked = true
	// Tokens from a refresh join the code's family, unless the
	// replay-revokes-first-tokens-only flaw forgets them.
	linked := !s.has(flawReplayRevokesFirstOnly)
	return s.issueTokens(old.code, linked)
}
