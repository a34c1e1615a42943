package refidp

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// requestURIPrefix starts every request_uri (RFC 9126 §2.2).
const requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// parLifetime is how long a request_uri stays valid.
const parLifetime = 60 * time.Second

// parRecord is a pushed authorization request.
type parRecord struct {
	clientID string
	params   url.Values // the pushed parameters, validated
	expires  time.Time
	used     bool
	code     string // the code issued from it, once used
}

// handlePAR is the pushed authorization request endpoint (RFC 9126 §2):
// the client authenticates as at the token endpoint, the request is
// validated as /authorize would (PKCE included) and stored under a
// one-time request_uri.
func (s *Server) handlePAR(w http.ResponseWriter, r *http.Request) {
	params, e := readForm(w, r, s.duplicates())
	if e != nil {
		s.writePARError(w, e)
		return
	}
	c, e := s.authenticateClient(r, params)
	if e == nil {
		e = s.pushAllowed(c)
	}
	if e != nil {
		s.writePARError(w, e)
		return
	}
	if _, ok := params["request_uri"]; ok {
		s.writePARError(w, errRequest("request_uri must not be pushed"))
		return
	}
	if params["client_id"] != "" && params["client_id"] != c.id {
		s.writePARError(w, errRequest("client_id does not match the authenticated client"))
		return
	}
	vals := url.Values{}
	for k, v := range params {
		if k != "client_secret" && k != "client_assertion" && k != "client_assertion_type" {
			vals.Set(k, v)
		}
	}
	vals.Set("client_id", c.id)
	req, msg := s.identifyClient(vals.Encode())
	if msg != "" {
		s.writePARError(w, errRequest(msg))
		return
	}
	if ae := s.validatePushed(req, c); ae != nil {
		s.writePARError(w, &tokenError{code: ae.code, desc: ae.desc})
		return
	}
	id, err := randomID()
	if err != nil {
		s.writePARError(w, &tokenError{code: "server_error", desc: "the request_uri could not be generated"})
		return
	}
	uri := requestURIPrefix + id
	s.mu.Lock()
	now := s.now()
	for k, p := range s.pars {
		if now.After(p.expires.Add(codeRetention)) {
			delete(s.pars, k)
		}
	}
	s.pars[uri] = &parRecord{clientID: c.id, params: vals, expires: now.Add(parLifetime)}
	s.mu.Unlock()
	s.logf("refidp: POST /par client=%s: 201 request_uri issued", c.id)
	s.writeJSON(w, http.StatusCreated, map[string]any{"request_uri": uri, "expires_in": int(parLifetime / time.Second)})
}

// validatePushed validates a pushed request of c as /authorize would,
// except under the PAR flaws.
func (s *Server) validatePushed(req *authRequest, c client) *authError {
	switch {
	case s.has(flawPARLazyValidation), s.pushSkipsPKCE(c):
		return nil // validated only when the request_uri is used
	case s.has(flawPARPresenceOnly):
		if req.vals.Get("code_challenge") == "" && !req.client.confidential {
			return &authError{"invalid_request", "code_challenge is required"}
		}
		return nil
	}
	return s.validateAuthorization(req)
}

// pushedParams resolves an authorization request that carries request_uri
// (RFC 9126 §4): the pushed parameters count, not the front channel's,
// which must name the same client. It returns the parameters to process and
// the record, or a message for the error page.
func (s *Server) pushedParams(front url.Values) (url.Values, *parRecord, string) {
	uri := front.Get("request_uri")
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.pars[uri]
	switch {
	case rec == nil || !strings.HasPrefix(uri, requestURIPrefix):
		return nil, nil, "The request_uri is unknown."
	case s.now().After(rec.expires):
		return nil, nil, "The request_uri has expired."
	case rec.used && !s.reusable(rec):
		return nil, nil, "The request_uri was already used."
	}
	out := url.Values{}
	for k, v := range rec.params {
		out[k] = append([]string(nil), v...)
	}
	frontClient := front.Get("client_id")
	switch {
	case frontClient == rec.clientID:
	case s.has(flawPARClientUnbound):
		// the pushed client is used whatever the front channel says
	case s.has(flawPARFrontClientWins) && frontClient != "":
		out.Set("client_id", frontClient)
	default:
		return nil, nil, "The client_id does not match the pushed request."
	}
	for k, v := range front {
		switch {
		case k == "client_id" || k == "request_uri":
		case s.has(flawPARFrontChannelMerge):
			out[k] = v
		}
	}
	return out, rec, ""
}

// reusable reports whether a used request_uri may be used again under the
// PAR reuse flaws. s.mu is held.
func (s *Server) reusable(rec *parRecord) bool {
	switch {
	case s.has(flawPARReusable):
		return true
	case s.has(flawPARReusableUntilRedeemed):
		c := s.codes[rec.code]
		return c != nil && !c.used
	}
	return false
}

// markPushedUsed records that a code was issued from a pushed request.
func (s *Server) markPushedUsed(rec *parRecord, code string) {
	if rec == nil {
		return
	}
	s.mu.Lock()
	rec.used, rec.code = true, code
	s.mu.Unlock()
}

// writePARError answers the PAR endpoint with an error (RFC 9126 §2.3):
// 400, or 401 for invalid_client.
func (s *Server) writePARError(w http.ResponseWriter, e *tokenError) {
	status := http.StatusBadRequest
	if e.code == "invalid_client" {
		status = http.StatusUnauthorized
		s.clientChallenge(w)
	}
	s.logf("refidp: POST /par: %d %s (%s)", status, e.code, legalText(e.desc))
	s.writeJSON(w, status, map[string]string{"error": e.code, "error_description": legalText(e.desc)})
}
