package auth0

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// wsResult is what /usernamepassword/login hands to /login/callback (the
// hidden form's wresult): the authenticated user of one transaction.
type wsResult struct {
	user, txID string
	expires    time.Time
}

// sessionLifetime is how long the tenant's login session lasts.
const sessionLifetime = 3 * 24 * time.Hour

// handleLoginPage is the hosted login page (Classic Universal Login, the
// Lock template): the Lock bundle and a bootstrap that starts it from the
// page's config, as Auth0's template does: the client, the domain (so
// that auth0-js knows it runs on the hosted page), the callback, the
// transaction's state in auth.params, the configuration base URL and the
// __tenant/__token_issuer overrides.
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	tx := s.transaction(r.URL.Query().Get("state"))
	if tx == nil {
		s.errorPage(w, "invalid_request", "Invalid state.")
		return
	}
	params := map[string]string{"state": tx.id, "scope": tx.req.scope, "response_type": "code", "protocol": "oauth2"}
	if tx.req.nonce != "" {
		params["nonce"] = tx.req.nonce
	}
	config, err := json.Marshal(map[string]any{
		"clientID": tx.req.clientID, "auth0Domain": s.Domain(), "auth0Tenant": Tenant,
		"callbackURL": tx.req.redirectURI, "clientConfigurationBaseUrl": s.origin + "/",
		"assetsUrl": s.origin, "internalOptions": params,
		"authorizationServer": map[string]string{"url": s.origin, "issuer": s.Issuer()},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The logo is inline (Lock's default is on cdn.auth0.com); avatar:
	// null keeps Lock from asking gravatar.com for the typed email's image.
	fmt.Fprintf(w, `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Sign In with Auth0</title>
</head>
<body>
<script src="/lock/lock.min.js"></script>
<script>
var config = JSON.parse(window.atob('%s'));
var lock = new Auth0Lock(config.clientID, config.auth0Domain, {
  auth: {redirectUrl: config.callbackURL, responseType: 'code', params: config.internalOptions},
  configurationBaseUrl: config.clientConfigurationBaseUrl,
  overrides: {__tenant: config.auth0Tenant, __token_issuer: config.authorizationServer.issuer},
  assetsUrl: config.assetsUrl,
  allowedConnections: ['%s'],
  rememberLastLogin: true,
  language: 'en',
  closable: false,
  avatar: null,
  theme: {logo: 'data:image/svg+xml,%%3Csvg xmlns=%%22http://www.w3.org/2000/svg%%22 width=%%2258%%22 height=%%2258%%22/%%3E'},
  languageDictionary: {title: '%s'}
});
lock.show();
</script>
</body>
</html>
`, base64.StdEncoding.EncodeToString(config), Connection, Tenant)
}

// handleClientConfig is the client configuration script Lock loads from
// {configurationBaseUrl}/client/{clientID}.js: one database connection,
// without sign up or password reset.
func (s *Server) handleClientConfig(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".js")
	if _, known := client(id); !ok || !known {
		http.NotFound(w, r)
		return
	}
	body, err := json.Marshal(map[string]any{
		"id": id, "tenant": Tenant, "subscription": "free", "authorize": s.origin + "/authorize",
		"callback": RedirectURI, "hasAllowedOrigins": false,
		"strategies": []any{map[string]any{"name": "auth0", "connections": []any{map[string]any{
			"name": Connection, "showSignup": false, "showForgot": false, "requires_username": false,
		}}}},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "Auth0.setClient(%s);", body)
}

// handleSSOData answers auth0-js's session probe on the hosted page: no
// single sign-on to offer (the tenant keeps no last-login hints).
func (s *Server) handleSSOData(w http.ResponseWriter, r *http.Request) {
	emulator.WriteJSON(w, http.StatusOK, obj{"sso": false})
}

// handleChallenge answers Lock's captcha probe for the login form: no
// captcha required (the tenant's bot detection is off).
func (s *Server) handleChallenge(w http.ResponseWriter, r *http.Request) {
	emulator.WriteJSON(w, http.StatusOK, obj{"required": false})
}

// loginRequest is the JSON auth0-js posts to /usernamepassword/login.
type loginRequest struct {
	ClientID   string `json:"client_id"`
	Connection string `json:"connection"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	State      string `json:"state"`
}

// handleUsernamePassword checks the credentials Lock sends. Right: the
// hidden form auth0-js injects and submits to /login/callback. Wrong:
// Auth0's 401 ValidationError, which Lock shows as "Wrong email or
// password." (its error.login.lock.invalid_email_password).
func (s *Server) handleUsernamePassword(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		emulator.WriteJSON(w, http.StatusBadRequest, obj{"name": "BadRequestError", "code": "invalid_request", "description": "Invalid JSON body.", "statusCode": 400})
		return
	}
	tx := s.transaction(req.State)
	switch {
	case tx == nil || tx.req.clientID != req.ClientID:
		emulator.WriteJSON(w, http.StatusForbidden, obj{"name": "AccessDeniedError", "code": "access_denied", "description": "Invalid state", "statusCode": 403})
		return
	case req.Connection != Connection:
		emulator.WriteJSON(w, http.StatusBadRequest, obj{"name": "BadRequestError", "code": "invalid_connection", "description": "the connection was disabled", "statusCode": 400})
		return
	case !strings.EqualFold(req.Username, Username) || !emulator.EqualSecret(req.Password, s.opts.Password):
		emulator.WriteJSON(w, http.StatusUnauthorized, obj{"name": "ValidationError", "code": "invalid_user_password", "description": "Wrong email or password.", "statusCode": 401})
		return
	}
	result := randomID(32)
	s.mu.Lock()
	s.results[result] = &wsResult{user: Username, txID: tx.id, expires: time.Now().Add(time.Minute)}
	s.mu.Unlock()
	wctx, _ := json.Marshal(map[string]string{"strategy": "auth0", "tenant": Tenant, "connection": Connection,
		"client_id": tx.req.clientID, "response_type": "code", "scope": tx.req.scope, "redirect_uri": tx.req.redirectURI, "state": tx.id})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<form method="post" name="hiddenform" action="%s/login/callback"><input type="hidden" name="wa" value="wsignin1.0"><input type="hidden" name="wresult" value="%s"><input type="hidden" name="wctx" value="%s"><noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form>`,
		s.origin, html.EscapeString(result), html.EscapeString(string(wctx)))
}

// handleLoginCallback takes the hidden form: it starts the session and
// resumes the transaction.
func (s *Server) handleLoginCallback(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, "invalid_request", "Invalid form.")
		return
	}
	var wctx struct {
		State string `json:"state"`
	}
	_ = json.Unmarshal([]byte(r.PostForm.Get("wctx")), &wctx)
	s.mu.Lock()
	res := s.results[r.PostForm.Get("wresult")]
	delete(s.results, r.PostForm.Get("wresult"))
	if res == nil || time.Now().After(res.expires) || res.txID != wctx.State || r.PostForm.Get("wa") != "wsignin1.0" {
		s.mu.Unlock()
		s.errorPage(w, "invalid_request", "Invalid or expired login result.")
		return
	}
	sid := randomID(32)
	s.sessions[sid] = &session{user: res.user, consents: map[string]bool{}, expires: time.Now().Add(sessionLifetime)}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteNoneMode})
	http.Redirect(w, r, "/authorize/resume?state="+res.txID, http.StatusFound)
}
