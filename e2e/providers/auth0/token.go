package auth0

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Lifetimes of codes and access tokens.
const (
	codeLifetime  = 5 * time.Minute
	tokenLifetime = 24 * time.Hour
)

// obj is a JSON object.
type obj = map[string]any

// authCode is an issued authorization code.
type authCode struct {
	req     authRequest
	user    string
	expires time.Time
	used    bool
	tokens  []string // access tokens issued for it, revoked on a replay
}

// accessToken is an issued (opaque) access token.
type accessToken struct {
	user    string
	expires time.Time
	revoked bool
}

// client reports whether id is a client and whether it is confidential.
func client(id string) (confidential bool, ok bool) {
	switch id {
	case PublicClientID, OtherClientID:
		return false, true
	case ConfidentialClientID:
		return true, true
	}
	return false, false
}

// issueCode mints a code; s.mu is held.
func (s *Server) issueCode(req authRequest, user string) string {
	code := randomID(24)
	s.codes[code] = &authCode{req: req, user: user, expires: time.Now().Add(codeLifetime)}
	return code
}

// tokenError is an error answer of /oauth/token. Auth0 answers a bad code
// or verifier (invalid_grant) with 403, not RFC 6749's 400.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+Tenant+`"`)
	}
	emulator.WriteJSON(w, status, obj{"error": code, "error_description": desc})
}

// handleToken is /oauth/token: the authorization_code grant with client
// authentication (none, client_secret_basic, client_secret_post) and the
// PKCE check of RFC 7636 §4.6.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	form, clientID, refusal := emulator.ReadTokenRequest(r, client, s.opts.ConfidentialSecret)
	if refusal != nil {
		tokenError(w, refusal.Status, refusal.Error, refusal.Description)
		return
	}
	if gt := form.Get("grant_type"); gt != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
		return
	}
	if form.Get("code") == "" {
		tokenError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: code")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.codes[form.Get("code")]
	switch {
	case c == nil || time.Now().After(c.expires):
		tokenError(w, http.StatusForbidden, "invalid_grant", "Invalid authorization code")
		return
	case c.used:
		for _, t := range c.tokens {
			s.tokens[t].revoked = true
		}
		tokenError(w, http.StatusForbidden, "invalid_grant", "Invalid authorization code")
		return
	}
	c.used = true // any failure below burns the code
	switch {
	case c.req.clientID != clientID:
		tokenError(w, http.StatusForbidden, "invalid_grant", "Invalid authorization code")
		return
	case form.Get("redirect_uri") != c.req.redirectURI:
		tokenError(w, http.StatusForbidden, "invalid_grant", "The redirect_uri MUST match the registered callback URL for this application.")
		return
	}
	if status, code, desc := verifyPKCE(c.req, form); code != "" {
		tokenError(w, status, code, desc)
		return
	}
	at := randomID(32)
	s.tokens[at] = &accessToken{user: c.user, expires: time.Now().Add(tokenLifetime)}
	c.tokens = append(c.tokens, at)
	body := obj{"access_token": at, "token_type": "Bearer", "expires_in": int(tokenLifetime.Seconds()), "scope": c.req.scope}
	if strings.Contains(" "+c.req.scope+" ", " openid ") {
		idt, err := s.idToken(c)
		if err != nil {
			tokenError(w, http.StatusInternalServerError, "server_error", "ID token signing failed.")
			return
		}
		body["id_token"] = idt
	}
	emulator.WriteJSON(w, http.StatusOK, body)
}

// verifyPKCE checks code_verifier against the code's challenge; it returns
// the error answer, code "" when it matches.
func verifyPKCE(req authRequest, form url.Values) (int, string, string) {
	_, sent := form["code_verifier"]
	v := form.Get("code_verifier")
	switch {
	case req.challenge == "" && sent:
		return http.StatusForbidden, "invalid_grant", "Failed to verify code verifier"
	case req.challenge == "":
		return 0, "", ""
	case !sent || v == "":
		return http.StatusBadRequest, "invalid_request", "Parameter 'code_verifier' is required"
	}
	if pkce.ValidateVerifier(v) != nil {
		return http.StatusForbidden, "invalid_grant", "Failed to verify code verifier"
	}
	want, err := pkce.Challenge(v, req.method)
	if err != nil || subtle.ConstantTimeCompare([]byte(want), []byte(req.challenge)) != 1 {
		return http.StatusForbidden, "invalid_grant", "Failed to verify code verifier"
	}
	return 0, "", ""
}

// handleUserinfo answers with the user's claims for a live access token.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	t := s.tokens[tok]
	live := ok && t != nil && !t.revoked && time.Now().Before(t.expires)
	s.mu.Unlock()
	if !live {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		emulator.WriteJSON(w, http.StatusUnauthorized, obj{"error": "invalid_token", "error_description": "The access token is invalid."})
		return
	}
	emulator.WriteJSON(w, http.StatusOK, obj{"sub": userID, "email": t.user})
}

// handleMetadata is the tenant's discovery document.
func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	methods := []string{pkce.MethodS256, pkce.MethodPlain}
	if s.opts.S256Only {
		methods = methods[:1]
	}
	o := s.origin
	emulator.WriteJSON(w, http.StatusOK, obj{
		"issuer": s.Issuer(), "authorization_endpoint": o + "/authorize", "token_endpoint": o + "/oauth/token",
		"userinfo_endpoint": o + "/userinfo", "jwks_uri": o + "/.well-known/jwks.json",
		"response_types_supported": []string{"code"}, "response_modes_supported": []string{"query"},
		"grant_types_supported":                 []string{"authorization_code"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      methods,
		"scopes_supported":                      []string{"openid", "profile", "email"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}
