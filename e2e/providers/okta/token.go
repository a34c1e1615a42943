package okta

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Lifetimes: Okta's authorization codes live 5 minutes, access tokens an
// hour by default.
const (
	codeLifetime  = 5 * time.Minute
	tokenLifetime = time.Hour
)

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
	user, clientID, scope string
	expires               time.Time
	revoked               bool
}

// client reports whether id is a client and whether it is confidential.
func (s *Server) client(id string) (confidential bool, ok bool) {
	switch id {
	case PublicClientID, OtherClientID:
		return false, true
	case ConfidentialClientID:
		return true, true
	}
	return false, false
}

// issueCode mints a code for tx; s.mu is held.
func (s *Server) issueCode(tx *transaction) string {
	code := randomID("", 32)
	s.codes[code] = &authCode{req: tx.req, user: tx.user, expires: time.Now().Add(codeLifetime)}
	return code
}

// tokenError is an RFC 6749 §5.2 error answer.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="okta"`)
	}
	emulator.WriteJSON(w, status, obj{"error": code, "error_description": desc})
}

// handleToken is the token endpoint: the authorization_code grant with
// client authentication (none, client_secret_basic, client_secret_post)
// and the PKCE check of RFC 7636 §4.6.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	form, clientID, refusal := emulator.ReadTokenRequest(r, s.client, s.opts.ConfidentialSecret)
	if refusal != nil {
		tokenError(w, refusal.Status, refusal.Error, refusal.Description)
		return
	}
	if gt := form.Get("grant_type"); gt != "authorization_code" {
		if gt == "" {
			tokenError(w, http.StatusBadRequest, "invalid_request", "The 'grant_type' parameter is required.")
		} else {
			tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "The grant type is not supported by the authorization server.")
		}
		return
	}
	if form.Get("code") == "" {
		tokenError(w, http.StatusBadRequest, "invalid_request", "The 'code' parameter is required.")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.codes[form.Get("code")]
	switch {
	case c == nil || time.Now().After(c.expires):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "The authorization code is invalid or has expired.")
		return
	case c.used:
		// A replayed code revokes what it gave (RFC 6749 §4.1.2).
		for _, t := range c.tokens {
			s.tokens[t].revoked = true
		}
		tokenError(w, http.StatusBadRequest, "invalid_grant", "The authorization code is invalid or has expired.")
		return
	}
	// Every attempt that gets this far uses the code up, a failed one too.
	c.used = true
	switch {
	case c.req.clientID != clientID:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "The authorization code is invalid or has expired.")
		return
	case form.Get("redirect_uri") != c.req.redirectURI:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.")
		return
	}
	if desc := verifyPKCE(c.req, form); desc != "" {
		tokenError(w, http.StatusBadRequest, "invalid_grant", desc)
		return
	}
	at := randomID("", 32)
	s.tokens[at] = &accessToken{user: c.user, clientID: clientID, scope: c.req.scope, expires: time.Now().Add(tokenLifetime)}
	c.tokens = append(c.tokens, at)
	body := obj{"token_type": "Bearer", "access_token": at, "expires_in": int(tokenLifetime.Seconds()), "scope": c.req.scope}
	if slices.Contains(splitScope(c.req.scope), "openid") {
		idt, err := s.idToken(c, clientID, at)
		if err != nil {
			tokenError(w, http.StatusInternalServerError, "server_error", "The ID token could not be signed.")
			return
		}
		body["id_token"] = idt
	}
	emulator.WriteJSON(w, http.StatusOK, body)
}

// verifyPKCE checks code_verifier against the code's challenge; it returns
// the error description, "" when it matches.
func verifyPKCE(req authRequest, form url.Values) string {
	_, sent := form["code_verifier"]
	v := form.Get("code_verifier")
	switch {
	case req.challenge == "" && sent:
		return "PKCE verification failed: no code_challenge was sent in the authorization request."
	case req.challenge == "":
		return ""
	case !sent || v == "":
		return "PKCE verification failed: the 'code_verifier' parameter is required."
	}
	if err := pkce.ValidateVerifier(v); err != nil {
		return "PKCE verification failed: The code_verifier must have a minimum length of 43 characters and a maximum length of 128 characters, of [A-Za-z0-9-._~]."
	}
	want, err := pkce.Challenge(v, req.method)
	if err != nil || subtle.ConstantTimeCompare([]byte(want), []byte(req.challenge)) != 1 {
		return "PKCE verification failed."
	}
	return ""
}

// handleUserinfo answers with the user's claims for a live access token.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	t := s.tokens[tok]
	live := ok && t != nil && !t.revoked && time.Now().Before(t.expires)
	s.mu.Unlock()
	if !live {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token is invalid."`)
		emulator.WriteJSON(w, http.StatusUnauthorized, obj{"error": "invalid_token", "error_description": "The access token is invalid."})
		return
	}
	emulator.WriteJSON(w, http.StatusOK, obj{"sub": userID, "preferred_username": t.user})
}

// handleMetadata is the authorization server's discovery document.
func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	iss := s.Issuer()
	methods := []string{pkce.MethodS256}
	if s.opts.AllowPlain {
		methods = append(methods, pkce.MethodPlain)
	}
	emulator.WriteJSON(w, http.StatusOK, obj{
		"issuer": iss, "authorization_endpoint": iss + "/v1/authorize", "token_endpoint": iss + "/v1/token",
		"userinfo_endpoint": iss + "/v1/userinfo", "jwks_uri": iss + "/v1/keys",
		"response_types_supported": []string{"code"}, "response_modes_supported": []string{"query"},
		"grant_types_supported":                          []string{"authorization_code"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic", "client_secret_post", "none"},
		"code_challenge_methods_supported":               methods,
		"scopes_supported":                               supportedScopes,
		"subject_types_supported":                        []string{"public"},
		"id_token_signing_alg_values_supported":          []string{"RS256"},
		"authorization_response_iss_parameter_supported": true,
	})
}
