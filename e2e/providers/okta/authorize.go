package okta

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// supportedScopes are the scopes the default authorization server knows.
var supportedScopes = []string{"openid", "profile", "email"}

// sessionCookie is the org's SSO session cookie (Okta's "sid").
const sessionCookie = "sid"

// handleAuthorize validates an authorization request; with an SSO session
// it answers with the code at once, otherwise it serves the hosted sign-in
// page whose widget starts from a new IDX transaction's state handle.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, name := range []string{"client_id", "redirect_uri"} {
		if len(q[name]) > 1 {
			s.errorPage(w, "invalid_request", "The '"+name+"' parameter was repeated.")
			return
		}
	}
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	if _, ok := s.client(clientID); !ok {
		s.errorPage(w, "invalid_client", "The 'client_id' parameter is invalid.")
		return
	}
	if redirectURI != RedirectURI {
		s.errorPage(w, "invalid_request", "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.")
		return
	}
	req := authRequest{clientID: clientID, redirectURI: redirectURI, state: q.Get("state")}
	fail := func(code, desc string) {
		http.Redirect(w, r, errorRedirect(req, s.Issuer(), code, desc), http.StatusFound)
	}
	for name, v := range q {
		if len(v) > 1 {
			fail("invalid_request", "The '"+name+"' parameter was repeated.")
			return
		}
	}
	req.scope, req.nonce, req.responseMode = q.Get("scope"), q.Get("nonce"), q.Get("response_mode")
	req.challenge, req.method = q.Get("code_challenge"), q.Get("code_challenge_method")
	if desc := s.checkPKCE(&req, q); desc != "" {
		fail("invalid_request", desc)
		return
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code].")
		return
	case req.responseMode != "" && req.responseMode != "query":
		fail("unsupported_response_mode", "The response mode is not supported by the authorization server.")
		return
	case req.scope == "":
		fail("invalid_scope", "The authorization request must contain a scope.")
		return
	}
	for _, sc := range splitScope(req.scope) {
		if !slices.Contains(supportedScopes, sc) {
			fail("invalid_scope", "One or more scopes are not configured for the authorization server resource.")
			return
		}
	}

	s.mu.Lock()
	tx := &transaction{handle: randomID("02", 30), req: req, expires: time.Now().Add(transactionLifetime)}
	sess := s.sessionOf(r)
	prompt := q.Get("prompt")
	if sess != nil && prompt != "login" {
		tx.user, tx.fromSession, tx.consentGiven = sess.user, true, sess.consents[clientID]
		if prompt == "consent" {
			tx.consentGiven = false
		}
	}
	if prompt == "none" && (sess == nil || !s.done(tx)) {
		s.mu.Unlock()
		fail("login_required", "The client specified not to prompt, but the user is not logged in.")
		return
	}
	if s.done(tx) {
		code := s.issueCode(tx)
		s.mu.Unlock()
		http.Redirect(w, r, codeRedirect(req, s.Issuer(), code), http.StatusFound)
		return
	}
	s.txs[tx.handle] = tx
	s.mu.Unlock()
	s.signInPage(w, tx.handle)
}

// checkPKCE applies the PKCE policy: every client must send a challenge;
// S256 only unless AllowPlain; the challenge must fit its method. It
// returns the error description, "" when the request passes. A missing
// method means plain (RFC 7636 §4.3).
func (s *Server) checkPKCE(req *authRequest, q url.Values) string {
	_, hasMethod := q["code_challenge_method"]
	switch {
	case req.challenge == "" && hasMethod:
		return "The 'code_challenge_method' parameter requires a 'code_challenge'."
	case req.challenge == "":
		return "PKCE code challenge is required by the authorization server."
	case !hasMethod:
		req.method = pkce.MethodPlain
	}
	switch req.method {
	case pkce.MethodS256:
	case pkce.MethodPlain:
		if !s.opts.AllowPlain {
			return "'code_challenge_method' is invalid. Must be 'S256'."
		}
	default:
		return "'code_challenge_method' is invalid."
	}
	if err := pkce.ValidateChallenge(req.challenge, req.method); err != nil || (req.method == pkce.MethodS256 && !pkce.CanonicalS256(req.challenge)) {
		return "The 'code_challenge' parameter is invalid."
	}
	return ""
}

// sessionOf finds the live SSO session of r's cookie; s.mu is held.
func (s *Server) sessionOf(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	sess := s.sessions[c.Value]
	if sess == nil || time.Now().After(sess.expires) {
		return nil
	}
	return sess
}

// handleTokenRedirect is where the widget sends the browser once the IDX
// transaction succeeded: it opens (or refreshes) the SSO session and
// redirects to the client with a code.
func (s *Server) handleTokenRedirect(w http.ResponseWriter, r *http.Request) {
	handle := r.URL.Query().Get("stateToken")
	s.mu.Lock()
	tx := s.txs[handle]
	if tx == nil || tx.redeemedState || !s.done(tx) || time.Now().After(tx.expires) {
		s.mu.Unlock()
		s.errorPage(w, "invalid_request", "The sign-in transaction is unknown, unfinished or used.")
		return
	}
	tx.redeemedState = true
	sess := s.sessionOf(r)
	if sess == nil {
		sess = &session{user: tx.user, consents: map[string]bool{}, expires: time.Now().Add(2 * time.Hour)}
		id := randomID("102", 24)
		s.sessions[id] = sess
		c := &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
		if tx.keepSignedIn {
			c.Expires = sess.expires
		}
		http.SetCookie(w, c)
	}
	if tx.consentGiven {
		sess.consents[tx.req.clientID] = true
	}
	code := s.issueCode(tx)
	s.mu.Unlock()
	http.Redirect(w, r, codeRedirect(tx.req, s.Issuer(), code), http.StatusFound)
}

// codeRedirect is the success redirect (RFC 6749 §4.1.2, RFC 9207 iss).
func codeRedirect(req authRequest, issuer, code string) string {
	v := url.Values{"code": {code}, "iss": {issuer}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	return req.redirectURI + "?" + v.Encode()
}

// errorRedirect is the error redirect (RFC 6749 §4.1.2.1, RFC 9207 iss).
func errorRedirect(req authRequest, issuer, code, desc string) string {
	v := url.Values{"error": {code}, "error_description": {desc}, "iss": {issuer}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	return req.redirectURI + "?" + v.Encode()
}

// errorPage answers a request that cannot be redirected (unknown client or
// redirect URI) with Okta's HTML error page.
func (s *Server) errorPage(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Error</title></head><body><h1>400 Bad Request</h1><p id="error-code">%s</p><p id="error-summary">%s</p></body></html>`,
		html.EscapeString(code), html.EscapeString(desc))
}

// splitScope splits a scope parameter.
func splitScope(scope string) []string { return strings.Fields(scope) }
