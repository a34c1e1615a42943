package tokenclient

import (
	"github.com/pkcecheck/pkcecheck/protocol/form"

	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// applyAuth returns the parameters to send (Params plus what the method puts
// in the body) and sets the Authorization header the method calls for.
func applyAuth(req *Request, h http.Header) (form.Params, error) {
	params := append(form.Params(nil), req.Params...)
	has := func(name string) bool {
		_, ok := req.Get(name)
		return ok
	}
	a := req.Auth
	switch a.Method {
	case profiles.AuthNone, "":
		if a.ClientID != "" && !has("client_id") {
			params = append(params, [2]string{"client_id", a.ClientID})
		}
	case profiles.AuthClientSecretPost:
		if !has("client_id") {
			params = append(params, [2]string{"client_id", a.ClientID})
		}
		if !has("client_secret") {
			params = append(params, [2]string{"client_secret", a.Secret})
		}
	case profiles.AuthClientSecretBasic:
		h.Set("Authorization", "Basic "+BasicCredentials(a.ClientID, a.Secret))
	default:
		return nil, fmt.Errorf("unknown client authentication method %q", a.Method)
	}
	return params, nil
}

// BasicCredentials returns the HTTP Basic credentials of RFC 6749 §2.3.1:
// base64 of the form-urlencoded client id and secret joined by ":".
func BasicCredentials(clientID, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID) + ":" + url.QueryEscape(secret)))
}
