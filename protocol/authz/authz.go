// Package authz builds authorization requests (RFC 6749 §4.1.1, RFC 7636 §4.3)
// and describes what the authorization endpoint answered.
package authz

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/form"
)

// Authorizer runs one authorization request in a user agent that can log in
// and reports what the server answered. drivers/browser (a real Chromium)
// and drivers/httpauthz (plain HTTP on the browser's session) implement it;
// session composes them, and suites and fuzz mint their codes through it.
type Authorizer interface {
	Authorize(ctx context.Context, authURL, redirectURI string) (*Response, error)
}

// Response is the outcome of one authorization request, as seen by the
// user agent once the login and consent steps are done.
type Response struct {
	// Location is the redirect URI the server sent the browser to, with its
	// query (it carries the code: redact before showing it). For a
	// form_post response it is the URL the form was posted to.
	Location string
	// Mode is how the response came: ModeQuery, ModeFragment or
	// ModeFormPost ("" for an error page).
	Mode string

	Code             string
	State            string
	Error            string
	ErrorDescription string
	ErrorURI         string
	Iss              string

	// ErrorPage is set when the server showed a page (typically a 4xx error)
	// instead of redirecting back to the client.
	ErrorPage bool
	// Status is the HTTP status of that page, and Body a short text excerpt.
	Status int
	Body   string
	// PageURL is the URL of that page.
	PageURL string

	// SentState is the state the request carried (set by the caller), so an
	// answer can be checked for echoing it.
	SentState string

	// Pushed marks an error answered by the pushed authorization request
	// endpoint (RFC 9126 §2.3) before any redirect: Error and
	// ErrorDescription come from its JSON body, and there is no state.
	Pushed bool
}

// ParseRedirect reads the code or error from a redirect to the client's
// redirect URI: from the query (RFC 6749 §4.1.2 and §4.1.2.1), or from the
// fragment when that carries the response (response_mode=fragment and the
// hybrid flows; OAuth 2.0 Multiple Response Type Encoding Practices §2.1).
func ParseRedirect(location string) (*Response, error) {
	u, err := url.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("parse redirect location: %w", err)
	}
	if u.Fragment != "" {
		f, err := url.ParseQuery(u.EscapedFragment())
		if err == nil && (f.Has("code") || f.Has("error") || f.Has("state")) {
			return fromValues(location, ModeFragment, f), nil
		}
	}
	return fromValues(location, ModeQuery, u.Query()), nil
}

// ParseFormPost reads the code or error from a form_post response: the
// application/x-www-form-urlencoded body the user agent POSTed to the
// redirect URI at target (OAuth 2.0 Form Post Response Mode §2).
func ParseFormPost(target, body string) (*Response, error) {
	v, err := url.ParseQuery(body)
	if err != nil {
		return nil, fmt.Errorf("parse form_post body: %w", err)
	}
	return fromValues(target, ModeFormPost, v), nil
}

// How a response reached the redirect URI.
const (
	ModeQuery    = "query"
	ModeFragment = "fragment"
	ModeFormPost = "form_post"
)

func fromValues(location, mode string, q url.Values) *Response {
	return &Response{
		Location:         location,
		Mode:             mode,
		Code:             q.Get("code"),
		State:            q.Get("state"),
		Error:            q.Get("error"),
		ErrorDescription: q.Get("error_description"),
		ErrorURI:         q.Get("error_uri"),
		Iss:              q.Get("iss"),
	}
}

// MatchesRedirect reports whether location is a navigation to redirectURI
// (same scheme, host and path; the query may differ).
func MatchesRedirect(location, redirectURI string) bool {
	l, err1 := url.Parse(location)
	r, err2 := url.Parse(redirectURI)
	if err1 != nil || err2 != nil {
		return false
	}
	return strings.EqualFold(l.Scheme, r.Scheme) && strings.EqualFold(l.Host, r.Host) && l.Path == r.Path
}

// Request is an authorization request. Params are sent as given, in order,
// so probes can send empty or duplicated parameters.
type Request struct {
	Endpoint string
	Params   form.Params
}

// NewRequest starts an authorization code request (RFC 6749 §4.1.1) for a
// client: response_type, client_id, redirect_uri, scope (when scopes are
// given), state, and a fresh random nonce when the scopes include openid
// (OpenID Connect Core §3.1.2.1: some providers refuse a request without
// one). Probes add the PKCE parameters.
func NewRequest(endpoint, clientID, redirectURI string, scopes []string, state string) *Request {
	r := &Request{Endpoint: endpoint}
	r.Params.Add("response_type", "code")
	r.Params.Add("client_id", clientID)
	r.Params.Add("redirect_uri", redirectURI)
	if len(scopes) > 0 {
		r.Params.Add("scope", strings.Join(scopes, " "))
	}
	r.Params.Add("state", state)
	if slices.Contains(scopes, "openid") {
		r.Params.Add("nonce", newNonce())
	}
	return r
}

// AddExtra appends the profile's authorize_params (audience, resource,
// prompt, ...) to the request.
func (r *Request) AddExtra(params [][2]string) {
	r.Params = append(r.Params, params...)
}

// newNonce is 128 random bits, base64url.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// URL is the full authorization URL.
func (r *Request) URL() string {
	sep := "?"
	if strings.Contains(r.Endpoint, "?") {
		sep = "&"
	}
	return r.Endpoint + sep + r.Params.Encode()
}
