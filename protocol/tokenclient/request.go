// Package tokenclient talks to an authorization server's token endpoint
// (RFC 6749 §4.1.3, §5.1, §5.2): it sends token requests exactly as a probe
// builds them, authenticates the client, parses success and error answers,
// and records redacted evidence of the exchange.
package tokenclient

import (
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/form"
)

// Auth is how the client authenticates at the token endpoint.
type Auth struct {
	ClientID, Secret string
	// Method is profiles.AuthNone, profiles.AuthClientSecretBasic,
	// profiles.AuthClientSecretPost or profiles.AuthPrivateKeyJWT; "" means
	// AuthNone.
	Method string
	// JWT signs the client assertion of profiles.AuthPrivateKeyJWT; its
	// Audience "" means the endpoint the request goes to.
	JWT *profiles.PrivateKeyJWT
}

// Request is a token request. Params are sent as given, in order, allowing
// duplicated and empty parameters. The client authentication parameters
// (client_id, client_secret) that Auth calls for are added after them at send
// time, unless Params already has a parameter of that name.
type Request struct {
	Auth   Auth
	Params form.Params
}

// Set makes value the only value of name (see form.Params.Set).
func (r *Request) Set(name, value string) { r.Params.Set(name, value) }

// Add appends a parameter, even if one of that name is already there.
func (r *Request) Add(name, value string) { r.Params.Add(name, value) }

// Del removes every parameter named name.
func (r *Request) Del(name string) { r.Params.Del(name) }

// Get returns the first value of name and whether it is present.
func (r *Request) Get(name string) (string, bool) { return r.Params.Get(name) }

// CodeRequest builds the authorization code grant request of RFC 6749 §4.1.3
// with the RFC 7636 §4.5 code_verifier: grant_type, code, redirect_uri
// (omitted when redirectURI is "") and code_verifier (omitted when verifier
// is nil; sent empty when it points to "").
func CodeRequest(auth Auth, code, redirectURI string, verifier *string) *Request {
	r := &Request{Auth: auth, Params: form.Params{
		{"grant_type", "authorization_code"},
		{"code", code},
	}}
	if redirectURI != "" {
		r.Add("redirect_uri", redirectURI)
	}
	if verifier != nil {
		r.Add("code_verifier", *verifier)
	}
	return r
}

// RefreshRequest builds the refresh token grant request of RFC 6749 §6
// (OAuth 2.1 §4.3): grant_type and refresh_token, and no code_verifier.
func RefreshRequest(auth Auth, refreshToken string) *Request {
	return &Request{Auth: auth, Params: form.Params{
		{"grant_type", "refresh_token"},
		{"refresh_token", refreshToken},
	}}
}
