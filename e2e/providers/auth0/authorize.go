package auth0

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// sessionCookie is the tenant's session cookie (Auth0's "auth0").
const sessionCookie = "auth0"

// transactionLifetime bounds a login transaction (the login page's state).
const transactionLifetime = 30 * time.Minute

// authRequest is a validated authorization request.
type authRequest struct {
	clientID, redirectURI, state, scope, nonce string
	challenge, method                          string // method "" when no challenge
}

// transaction is one authorization request waiting for the login or the
// consent, named by the state the login page and Lock carry.
type transaction struct {
	id      string
	req     authRequest
	expires time.Time
}

// session is the tenant's login session (the auth0 cookie).
type session struct {
	user     string
	consents map[string]bool // client IDs the user consented to
	expires  time.Time
}

// handleAuthorize validates an authorization request; with a session (and
// consent, when asked for) it answers with the code at once, otherwise it
// redirects to the login page (or the consent page) of a new transaction,
// as Auth0 redirects to /login?state=... .
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, name := range []string{"client_id", "redirect_uri"} {
		if len(q[name]) > 1 {
			s.errorPage(w, "invalid_request", "The '"+name+"' parameter was repeated.")
			return
		}
	}
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	if _, ok := client(clientID); !ok {
		s.errorPage(w, "invalid_request", "Unknown client: "+clientID)
		return
	}
	if redirectURI != RedirectURI {
		s.errorPage(w, "invalid_request", "Callback URL mismatch. The provided redirect_uri is not in the list of allowed callback URLs.")
		return
	}
	req := authRequest{clientID: clientID, redirectURI: redirectURI, state: q.Get("state")}
	fail := func(code, desc string) { http.Redirect(w, r, errorRedirect(req, code, desc), http.StatusFound) }
	for name, v := range q {
		if len(v) > 1 {
			fail("invalid_request", "The '"+name+"' parameter was repeated.")
			return
		}
	}
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "Unsupported response type.")
		return
	}
	if rm := q.Get("response_mode"); rm != "" && rm != "query" {
		fail("invalid_request", "Unsupported response mode.")
		return
	}
	req.scope, req.nonce = q.Get("scope"), q.Get("nonce")
	req.challenge, req.method = q.Get("code_challenge"), q.Get("code_challenge_method")
	if desc := s.checkPKCE(&req, q); desc != "" {
		fail("invalid_request", desc)
		return
	}
	s.mu.Lock()
	tx := &transaction{id: randomID(24), req: req, expires: time.Now().Add(transactionLifetime)}
	s.txs[tx.id] = tx
	s.mu.Unlock()
	if q.Get("prompt") == "login" {
		http.Redirect(w, r, "/login?"+url.Values{"state": {tx.id}, "client": {clientID}}.Encode(), http.StatusFound)
		return
	}
	s.resume(w, r, tx)
}

// checkPKCE applies the PKCE policy: public clients must send a challenge,
// the confidential client may; a missing method means plain (RFC 7636
// §4.3); the challenge must fit its method. It returns the error
// description, "" when the request passes.
func (s *Server) checkPKCE(req *authRequest, q url.Values) string {
	_, hasMethod := q["code_challenge_method"]
	confidential, _ := client(req.clientID)
	switch {
	case req.challenge == "" && hasMethod:
		return "Parameter 'code_challenge' is required when 'code_challenge_method' is sent."
	case req.challenge == "" && !confidential:
		return "Parameter 'code_challenge' is required for public clients."
	case req.challenge == "":
		return ""
	case !hasMethod:
		req.method = pkce.MethodPlain
	}
	switch req.method {
	case pkce.MethodS256:
	case pkce.MethodPlain:
		if s.opts.S256Only {
			return "Unsupported code_challenge_method: plain."
		}
	default:
		return "Unsupported code_challenge_method."
	}
	if err := pkce.ValidateChallenge(req.challenge, req.method); err != nil || (req.method == pkce.MethodS256 && !pkce.CanonicalS256(req.challenge)) {
		return "Parameter 'code_challenge' is invalid."
	}
	return ""
}

// handleResume continues a transaction after the login (Auth0's
// /authorize/resume).
func (s *Server) handleResume(w http.ResponseWriter, r *http.Request) {
	tx := s.transaction(r.URL.Query().Get("state"))
	if tx == nil {
		s.errorPage(w, "invalid_request", "Invalid state.")
		return
	}
	s.resume(w, r, tx)
}

// resume sends a transaction on: to the login page without a session, to
// the consent page without consent, else to the client with a code.
func (s *Server) resume(w http.ResponseWriter, r *http.Request, tx *transaction) {
	s.mu.Lock()
	sess := s.sessionOf(r)
	switch {
	case sess == nil:
		s.mu.Unlock()
		http.Redirect(w, r, "/login?"+url.Values{"state": {tx.id}, "client": {tx.req.clientID}}.Encode(), http.StatusFound)
	case s.opts.Consent && !sess.consents[tx.req.clientID]:
		s.mu.Unlock()
		http.Redirect(w, r, "/u/consent?"+url.Values{"state": {tx.id}}.Encode(), http.StatusFound)
	default:
		delete(s.txs, tx.id)
		code := s.issueCode(tx.req, sess.user)
		s.mu.Unlock()
		http.Redirect(w, r, codeRedirect(tx.req, code), http.StatusFound)
	}
}

// transaction finds a live transaction by its id.
func (s *Server) transaction(id string) *transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := s.txs[id]
	if tx == nil || time.Now().After(tx.expires) {
		return nil
	}
	return tx
}

// sessionOf finds the live session of r's cookie; s.mu is held.
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

// codeRedirect is the success redirect (RFC 6749 §4.1.2). Auth0 adds no
// iss (RFC 9207) and does not advertise it.
func codeRedirect(req authRequest, code string) string {
	v := url.Values{"code": {code}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	return req.redirectURI + "?" + v.Encode()
}

// errorRedirect is the error redirect (RFC 6749 §4.1.2.1).
func errorRedirect(req authRequest, code, desc string) string {
	v := url.Values{"error": {code}, "error_description": {desc}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	return req.redirectURI + "?" + v.Encode()
}

// errorPage answers a request that cannot be redirected (unknown client or
// callback URL) with an HTML error page, as Auth0's tenant error page.
func (s *Server) errorPage(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Error</title></head><body><h1>Oops!, something went wrong</h1><p class="error-code">%s</p><p class="error-description">%s</p></body></html>`,
		html.EscapeString(code), html.EscapeString(desc))
}
