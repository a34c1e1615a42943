package refidp

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
)

// client is a registered OAuth client.
type client struct {
	id           string
	confidential bool
	// authMethod is how the client authenticated on this request (set on
	// the copy authenticateClient returns).
	authMethod string
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
//
// private_key_jwt (RFC 7523 §2.2) is accepted for the confidential client,
// with assertions signed by Config.ClientKey.
func (s *Server) authenticateClient(r *http.Request, params map[string]string) (client, *tokenError) {
	id, secret, basic := r.BasicAuth()
	_, postSecret := params["client_secret"]
	_, assertionType := params["client_assertion_type"]
	_, assertion := params["client_assertion"]
	jwt := assertionType || assertion
	switch {
	case (basic && postSecret) || (jwt && (basic || postSecret)):
		return client{}, errClient("more than one client authentication method")
	case jwt:
		c, e := s.verifyAssertion(params)
		c.authMethod = profiles.AuthPrivateKeyJWT
		return c, e
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
		c.authMethod = profiles.AuthNone
		return c, nil
	}
	c, ok := s.clients[id]
	if !ok || !c.confidential || !equalSecret(secret, s.cfg.ConfidentialSecret) {
		return client{}, errClient("client authentication failed")
	}
	c.authMethod = profiles.AuthClientSecretPost
	if basic {
		c.authMethod = profiles.AuthClientSecretBasic
	}
	return c, nil
}

// maxAssertionLifetime bounds exp - now of a client assertion.
const maxAssertionLifetime = 10 * time.Minute

// verifyAssertion authenticates a private_key_jwt request: the assertion is
// signed with the client key, iss and sub are a confidential client's id
// (and client_id, when sent, agrees), aud is the issuer or the endpoint,
// exp is in the near future and jti was not seen before.
func (s *Server) verifyAssertion(params map[string]string) (client, *tokenError) {
	if params["client_assertion_type"] != clientjwt.ClientAssertionType {
		return client{}, errClient("unsupported client_assertion_type")
	}
	_, claims, err := clientjwt.Verify(params["client_assertion"], s.clientKey.Public())
	if err != nil {
		return client{}, errClient("client assertion: " + err.Error())
	}
	iss, _ := claims["iss"].(string)
	sub, _ := claims["sub"].(string)
	aud, _ := claims["aud"].(string)
	jti, _ := claims["jti"].(string)
	exp, _ := claims["exp"].(float64)
	c, ok := s.clients[iss]
	now := s.now()
	expires := time.Unix(int64(exp), 0)
	switch {
	case !ok || !c.confidential || sub != iss:
		return client{}, errClient("client assertion: iss and sub must be the confidential client's id")
	case params["client_id"] != "" && params["client_id"] != iss:
		return client{}, errClient("client_id does not match the client assertion")
	case aud != s.issuer && aud != s.issuer+"/token" && aud != s.issuer+"/par":
		return client{}, errClient("client assertion: aud must be the issuer or the endpoint")
	case jti == "" || !expires.After(now) || expires.Sub(now) > maxAssertionLifetime:
		return client{}, errClient("client assertion: jti and an exp within 10 minutes are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, until := range s.jtis {
		if now.After(until) {
			delete(s.jtis, k)
		}
	}
	if _, seen := s.jtis[jti]; seen {
		return client{}, errClient("client assertion: jti was already used")
	}
	s.jtis[jti] = expires
	return c, nil
}

// equalSecret compares two secrets in constant time, also in their length.
func equalSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
