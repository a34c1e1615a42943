package refidp

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// tokenError is an error answer of the token endpoint (RFC 6749 §5.2).
type tokenError struct {
	code, desc string
	// replay marks the refusal of an already-used code.
	replay bool
	// raw sends desc unfiltered (the error-echoes-input flaw).
	raw bool
}

func errRequest(desc string) *tokenError { return &tokenError{code: "invalid_request", desc: desc} }
func errGrant(desc string) *tokenError   { return &tokenError{code: "invalid_grant", desc: desc} }
func errClient(desc string) *tokenError  { return &tokenError{code: "invalid_client", desc: desc} }

// tokenResponse is a successful token response (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// readForm reads an application/x-www-form-urlencoded body into one value
// per parameter; repeated parameters are refused unless firstWins.
func readForm(w http.ResponseWriter, r *http.Request, d duplicates) (map[string]string, *tokenError) {
	vals, e := readValues(w, r)
	if e != nil {
		return nil, e
	}
	params, err := singleValues(vals, d)
	if err != nil {
		return nil, errRequest(err.Error())
	}
	return params, nil
}

// readValues reads an application/x-www-form-urlencoded body, repeats kept.
func readValues(w http.ResponseWriter, r *http.Request) (url.Values, *tokenError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, errRequest("the body must be application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, errRequest("the body could not be read")
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errRequest("the body is not valid form encoding")
	}
	return vals, nil
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.tokenRequests.Add(1)
	params, repeated, e := s.readTokenForm(w, r)
	if e != nil {
		s.writeTokenError(w, "-", e)
		return
	}
	c, e := s.authenticateClient(r, params)
	if e != nil {
		s.writeTokenError(w, "-", e)
		return
	}
	if crash, e := s.tokenRepeats(c, repeated); crash {
		s.crash(w, c.id)
		return
	} else if e != nil {
		s.writeTokenError(w, c.id, e)
		return
	}
	switch params["grant_type"] {
	case "authorization_code":
	case "refresh_token":
		resp, e := s.refresh(c, params)
		if e != nil {
			s.writeTokenError(w, c.id, e)
			return
		}
		s.logf("refidp: POST /token client=%s: 200 tokens refreshed", c.id)
		s.writeJSON(w, http.StatusOK, resp)
		return
	case "":
		s.writeTokenError(w, c.id, errRequest("grant_type is required"))
		return
	default:
		s.writeTokenError(w, c.id, &tokenError{code: "unsupported_grant_type", desc: "only authorization_code and refresh_token are supported"})
		return
	}
	if params["code"] == "" {
		s.writeTokenError(w, c.id, errRequest("code is required"))
		return
	}
	resp, e := s.redeem(c, params)
	if e != nil {
		s.writeTokenError(w, c.id, e)
		return
	}
	s.logf("refidp: POST /token client=%s: 200 tokens issued", c.id)
	s.writeJSON(w, http.StatusOK, resp)
}

// writeTokenError answers with status 400 (401 for invalid_client, and under
// the error-status-401 flaw for everything but replays).
func (s *Server) writeTokenError(w http.ResponseWriter, clientID string, e *tokenError) {
	if s.writeVendorError(w, clientID, e) {
		return
	}
	status := http.StatusBadRequest
	switch {
	case e.code == "invalid_client":
		status = http.StatusUnauthorized
		s.clientChallenge(w)
	case s.has(flawErrorStatus401) && !e.replay:
		status = http.StatusUnauthorized
	}
	s.logf("refidp: POST /token client=%s: %d %s (%s)", clientID, status, e.code, legalText(e.desc))
	desc := legalText(e.desc)
	switch {
	case e.raw:
		desc = e.desc
	case s.has(flawErrorTextUnescaped):
		desc = `check failed: "` + desc + `"`
	}
	s.writeJSON(w, status, map[string]string{"error": e.code, "error_description": desc})
}

// writeJSON writes a token-endpoint style JSON answer, not cacheable unless
// the cacheable-tokens flaw is on.
func (s *Server) writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case s.has(flawCacheableTokens):
	case s.has(flawCacheControlNoCache):
		w.Header().Set("Cache-Control", "no-cache, must-revalidate")
		w.Header().Set("Pragma", "no-cache")
	default:
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
