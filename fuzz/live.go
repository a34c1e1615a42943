package fuzz

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// Endpoint is where, and as which client, a campaign talks to the target.
type Endpoint struct {
	Authorization, Token string
	Client               profiles.Client
	// Extra are the profile's authorize_params, sent with every
	// authorization request.
	Extra [][2]string
}

// Live is the target behind a logged-in session.Session: codes come from the
// session's browser, token requests go through its counted, rate-limited
// HTTP client, and every code is taught to its redactor. (The CLI builds it
// from the session, so this package needs no browser.)
type Live struct {
	Endpoint
	Authorizer authz.Authorizer // mints the codes through the logged-in session
	HTTP       *http.Client
	Redactor   *redact.Redactor
	Timeout    time.Duration // per request; 0 means the httpclient default
	states     int
}

// authorizeRequest is the authorization request of a registration.
func (e Endpoint) authorizeRequest(r Registration, state string) *authz.Request {
	req := authz.NewRequest(e.Authorization, e.Client.ID, e.Client.RedirectURI, e.Client.Scopes, state)
	req.AddExtra(e.Extra)
	req.Params.Add("code_challenge", r.Challenge)
	for _, m := range r.Methods {
		req.Params.Add("code_challenge_method", m)
	}
	return req
}

// tokenParams are the token request's parameters before client
// authentication: grant_type, code, redirect_uri, then each code_verifier.
func (e Endpoint) tokenParams(code string, verifiers []string) form.Params {
	p := form.Params{{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", e.Client.RedirectURI}}
	for _, v := range verifiers {
		p.Add("code_verifier", v)
	}
	return p
}

// Authorize implements Target.
func (l *Live) Authorize(ctx context.Context, r Registration) (AuthOutcome, string, error) {
	l.states++
	req := l.authorizeRequest(r, fmt.Sprintf("pkcecheck-fuzz-%d", l.states))
	ctx, cancel := context.WithTimeout(ctx, 3*l.timeout())
	defer cancel()
	resp, err := l.Authorizer.Authorize(ctx, req.URL(), l.Client.RedirectURI)
	if err != nil {
		return AuthOutcome{}, "", fmt.Errorf("authorize at %s: %s", l.Redactor.URL(l.Authorization), l.Redactor.String(err.Error()))
	}
	if resp.Code != "" {
		l.Redactor.Add(resp.Code)
	}
	return AuthOutcome{Issued: resp.Code != "", Error: resp.Error, ErrorPage: resp.ErrorPage, Status: resp.Status}, resp.Code, nil
}

// Token implements Target.
func (l *Live) Token(ctx context.Context, code string, verifiers []string) (TokenOutcome, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout())
	defer cancel()
	tc := tokenclient.Client{HTTP: l.HTTP, Endpoint: l.Endpoint.Token, Redactor: l.Redactor}
	req := &tokenclient.Request{
		Auth:   tokenclient.Auth{ClientID: l.Client.ID, Secret: l.Client.Secret, Method: l.Client.AuthMethod, JWT: l.Client.PrivateKeyJWT},
		Params: l.tokenParams(code, verifiers),
	}
	resp, err := tc.Exchange(ctx, req)
	if err != nil {
		return TokenOutcome{}, err // already redacted by tokenclient
	}
	out := TokenOutcome{Issued: resp.Issued(), Status: resp.Status}
	if resp.Err != nil {
		out.Error = resp.Err.Code
	}
	return out, nil
}

func (l *Live) timeout() time.Duration {
	if l.Timeout > 0 {
		return l.Timeout
	}
	return 10 * time.Second
}
