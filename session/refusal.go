package session

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/results"
)

// extraParams are authorization request parameters that servers may
// require and that only the profile can give (authorize_params).
var extraParams = []string{
	"audience", "resource", "acr_values", "prompt", "login_hint", "ui_locales", "claims",
	"max_age", "display", "organization", "connection", "id_token_hint", "claims_locales",
}

// paramWord finds words that look like parameter names in a server's
// error description.
var paramWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)

// DescribeRefusal words the server's refusal of a valid PKCE authorization
// request for the client: the server's error quoted, and, when it names a
// parameter, where the profile sets it (authorize_params for the extra
// ones). resp is a redirect with an error or an error page.
func DescribeRefusal(clientID string, resp *authz.Response, red *redact.Redactor) string {
	var quoted, text string
	switch {
	case resp.Error != "":
		quoted = "error=" + resp.Error
		if d := red.String(resp.ErrorDescription); d != "" {
			quoted += fmt.Sprintf(" %q", d)
		}
		text = resp.Error + " " + resp.ErrorDescription
	case resp.ErrorPage:
		line := red.String(results.FirstLine(resp.Body))
		quoted = fmt.Sprintf("an error page (HTTP %d) at %s: %q", resp.Status, red.URL(resp.PageURL), line)
		text = resp.Body
	default:
		return fmt.Sprintf("the server answered a valid PKCE authorization request for client %q with a redirect without a code or an error", clientID)
	}
	msg := fmt.Sprintf("the server refused a valid PKCE authorization request for client %q: %s", clientID, quoted)
	if hint := refusalHint(text); hint != "" {
		msg += " (" + hint + ")"
	}
	return msg
}

// refusalHint points at the profile setting for the first parameter the
// server's text names, or "".
func refusalHint(text string) string {
	for _, w := range paramWord.FindAllString(text, -1) {
		lw := strings.ToLower(w)
		if lw == "invalid_request" || lw == "invalid_scope" || lw == "unauthorized_client" || lw == "access_denied" ||
			lw == "server_error" || lw == "temporarily_unavailable" || lw == "unsupported_response_type" || lw == "invalid_client" {
			continue // error codes, not parameters
		}
		if where, ok := profiles.ReservedAuthorizeParam(lw); ok {
			return fmt.Sprintf("it names %s, which pkcecheck sets itself: %s", lw, where)
		}
		for _, p := range extraParams {
			if lw == p {
				return fmt.Sprintf("it names the parameter %s: if the server needs it, set it under authorize_params in the profile", lw)
			}
		}
	}
	return ""
}
