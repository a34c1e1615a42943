package tokenclient

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// applyAuth returns the parameters to send (Params plus what the method puts
// in the body) and sets the Authorization header the method calls for.
// endpoint is where the request goes (the default audience of a client
// assertion); rd learns the assertion, a credential.
func applyAuth(req *Request, h http.Header, endpoint string, rd *redact.Redactor) (form.Params, error) {
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
	case profiles.AuthPrivateKeyJWT:
		if a.JWT == nil || a.JWT.Key == nil {
			return nil, fmt.Errorf("private_key_jwt for client %q: no signing key", a.ClientID)
		}
		aud := a.JWT.Audience
		if aud == "" {
			aud = endpoint
		}
		assertion, err := clientjwt.Sign(a.ClientID, aud, a.JWT.Key, a.JWT.Alg, a.JWT.KeyID, time.Now())
		if err != nil {
			return nil, fmt.Errorf("private_key_jwt for client %q: %w", a.ClientID, err)
		}
		rd.Add(assertion)
		if !has("client_id") {
			params = append(params, [2]string{"client_id", a.ClientID})
		}
		if !has("client_assertion_type") {
			params = append(params, [2]string{"client_assertion_type", clientjwt.ClientAssertionType})
		}
		if !has("client_assertion") {
			params = append(params, [2]string{"client_assertion", assertion})
		}
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
