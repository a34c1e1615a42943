package refidp

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
)

// client is a registered OAuth client.
type client struct {
	id           string
	confidential bool
}

func newClients() map[string]client {
	return map[string]client{
		PublicClientID:       {id: PublicClientID},
		ConfidentialClientID: {id: ConfidentialClientID, confidential: true},
		OtherClientID:        {id: OtherClientID},
	}
}

// authenticateClient identifies the client of a token or introspection
// request: client_secret_basic, client_secret_post, or (public clients)
// client_id in the body. params holds the body's parameters.
func (s *Server) authenticateClient(r *http.Request, params map[string]string) (client, *tokenError) {
	id, secret, basic := r.BasicAuth()
	_, postSecret := params["client_secret"]
	switch {
	case basic && postSecret:
		return client{}, errClient("more than one client authentication method")
	case basic:
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return client{}, errClient("malformed client credentials")
		}
		if bodyID, ok := params["client_id"]; ok && bodyID != id {
			return client{}, errClient("client_id does not match the authenticated client")
		}
	case postSecret:
		id, secret = params["client_id"], params["client_secret"]
	default:
		id = params["client_id"]
		if id == "" {
			return client{}, errClient("client authentication is required")
		}
		c, ok := s.clients[id]
		if !ok || c.confidential {
			return client{}, errClient("client authentication failed")
		}
		return c, nil
	}
	c, ok := s.clients[id]
	if !ok || !c.confidential || !equalSecret(secret, s.cfg.ConfidentialSecret) {
		return client{}, errClient("client authentication failed")
	}
	return c, nil
}

// equalSecret compares two secrets in constant time, also in their length.
func equalSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
