package emulator

import (
	"mime"
	"net/http"
	"net/url"
)

// Refusal is an RFC 6749 §5.2 error answer of a token endpoint.
type Refusal struct {
	Status             int
	Error, Description string
}

// ClientKind says whether id is a client of the emulator (known) and
// whether it authenticates with a secret (confidential).
type ClientKind func(id string) (confidential, known bool)

// ReadTokenRequest reads a token request: a form body with no parameter
// twice, from a client that authenticates as it must (none for a public
// client; for the confidential one, secret by HTTP Basic with its
// form-encoded credentials, or client_secret in the body, never both). It
// returns the form and the client's id, or the refusal to answer with.
func ReadTokenRequest(r *http.Request, kind ClientKind, secret string) (url.Values, string, *Refusal) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil, "", &Refusal{http.StatusBadRequest, "invalid_request", "The request must be application/x-www-form-urlencoded."}
	}
	if err := r.ParseForm(); err != nil {
		return nil, "", &Refusal{http.StatusBadRequest, "invalid_request", "The request body is malformed."}
	}
	form := r.PostForm
	for name, v := range form {
		if len(v) > 1 {
			return nil, "", &Refusal{http.StatusBadRequest, "invalid_request", "The '" + name + "' parameter was repeated."}
		}
	}
	unauthorized := &Refusal{http.StatusUnauthorized, "invalid_client", "Client authentication failed."}
	basicID, basicSecret, basic := r.BasicAuth()
	if basic {
		var err1, err2 error
		basicID, err1 = url.QueryUnescape(basicID)
		basicSecret, err2 = url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil {
			return nil, "", unauthorized
		}
	}
	_, postSecret := form["client_secret"]
	id := form.Get("client_id")
	switch {
	case basic && postSecret:
		return nil, "", &Refusal{http.StatusBadRequest, "invalid_request", "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body."}
	case basic && id != "" && id != basicID:
		return nil, "", &Refusal{http.StatusBadRequest, "invalid_request", "The 'client_id' parameter does not match the authenticated client."}
	case basic:
		id = basicID
	}
	confidential, known := kind(id)
	if !known {
		return nil, "", unauthorized
	}
	given, hasSecret := basicSecret, basic
	if postSecret {
		given, hasSecret = form.Get("client_secret"), true
	}
	switch {
	case confidential && (!hasSecret || !EqualSecret(given, secret)):
		return nil, "", unauthorized
	case !confidential && hasSecret:
		return nil, "", &Refusal{http.StatusUnauthorized, "invalid_client", "Client authentication failed: this client authenticates with none."}
	}
	return form, id, nil
}
