package refidp

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// tokenRecord is an issued access token.
type tokenRecord struct {
	clientID string
	subject  string
	scope    string
	expires  time.Time
	revoked  bool
}

// lookupToken returns a live token's record.
func (s *Server) lookupToken(tok string) (tokenRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[tok]
	if t == nil || t.revoked || s.now().After(t.expires) {
		return tokenRecord{}, false
	}
	return *t, true
}

// handleUserinfo answers {"sub": ...} for a live bearer token.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || tok == "" {
		s.logf("refidp: %s /userinfo: 401 no token", r.Method)
		w.Header().Set("WWW-Authenticate", `Bearer realm="refidp"`)
		http.Error(w, "bearer token required", http.StatusUnauthorized)
		return
	}
	t, ok := s.lookupToken(tok)
	if !ok {
		s.logf("refidp: %s /userinfo: 401 invalid token", r.Method)
		w.Header().Set("WWW-Authenticate", `Bearer realm="refidp", error="invalid_token"`)
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	s.logf("refidp: %s /userinfo: 200", r.Method)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"sub": t.subject})
}

// handleIntrospect is RFC 7662 introspection for the confidential client.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	params, e := readForm(w, r, duplicatesRefused)
	if e != nil {
		s.writeTokenError(w, "-", e)
		return
	}
	c, e := s.authenticateClient(r, params)
	if e == nil && !c.confidential {
		e = errClient("introspection needs an authenticated confidential client")
	}
	if e != nil {
		s.writeTokenError(w, "-", e)
		return
	}
	out := map[string]any{"active": false}
	if t, ok := s.lookupToken(params["token"]); ok {
		out = map[string]any{
			"active": true, "client_id": t.clientID, "sub": t.subject,
			"scope": t.scope, "exp": t.expires.Unix(), "token_type": "Bearer",
		}
	}
	s.logf("refidp: POST /introspect: active=%t", out["active"])
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}
