package auth0

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
)

// appNames are the clients' names as the consent page shows them.
var appNames = map[string]string{
	PublicClientID: "pkce-public", ConfidentialClientID: "pkce-confidential", OtherClientID: "pkce-other",
}

// handleConsentPage is Auth0's consent screen: "Authorize <app>", the
// scopes asked for, and a form posting action=accept ("Accept") or
// action=deny ("Decline") back to /u/consent?state=... .
func (s *Server) handleConsentPage(w http.ResponseWriter, r *http.Request) {
	tx := s.transaction(r.URL.Query().Get("state"))
	if tx == nil {
		s.errorPage(w, "invalid_request", "Invalid state.")
		return
	}
	var scopes strings.Builder
	for _, sc := range strings.Fields(tx.req.scope) {
		fmt.Fprintf(&scopes, "<li>%s</li>", html.EscapeString(sc))
	}
	app := html.EscapeString(appNames[tx.req.clientID])
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorize Application</title></head>
<body>
<main class="_widget consent">
<header><h1>Authorize %s</h1><p>Hi %s, %s is requesting access to your %s account.</p></header>
<ul class="scopes">%s</ul>
<form method="POST" action="/u/consent?%s">
<input type="hidden" name="state" value="%s">
<button type="submit" name="action" value="deny">Decline</button>
<button type="submit" name="action" value="accept">Accept</button>
</form>
</main>
</body>
</html>
`, app, html.EscapeString(Username), app, Tenant, scopes.String(),
		html.EscapeString(url.Values{"state": {tx.id}}.Encode()), html.EscapeString(tx.id))
}

// handleConsent records the user's answer: accept remembers consent for
// the client in the session and resumes; deny ends in access_denied.
func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, "invalid_request", "Invalid form.")
		return
	}
	tx := s.transaction(r.URL.Query().Get("state"))
	if tx == nil || r.PostForm.Get("state") != tx.id {
		s.errorPage(w, "invalid_request", "Invalid state.")
		return
	}
	s.mu.Lock()
	sess := s.sessionOf(r)
	if sess == nil {
		s.mu.Unlock()
		s.resume(w, r, tx)
		return
	}
	switch r.PostForm.Get("action") {
	case "accept":
		sess.consents[tx.req.clientID] = true
		s.mu.Unlock()
		s.resume(w, r, tx)
	case "deny":
		delete(s.txs, tx.id)
		s.mu.Unlock()
		http.Redirect(w, r, errorRedirect(tx.req, "access_denied", "User did not authorize the request"), http.StatusFound)
	default:
		s.mu.Unlock()
		s.errorPage(w, "invalid_request", "Unknown action.")
	}
}
