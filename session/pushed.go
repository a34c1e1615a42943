package session

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// pushWarmUp pushes the warm-up request to the PAR endpoint (RFC 9126) of
// a server that requires pushed authorization requests, and returns the
// front-channel request that carries its request_uri.
func (s *Session) pushWarmUp(ctx context.Context, c *profiles.Client, req *authz.Request) (*authz.Request, error) {
	endpoint := s.Metadata.PushedAuthorizationRequestEndpoint
	ctx, cancel := context.WithTimeout(ctx, s.Profile.Limits.Timeout)
	defer cancel()
	tc := tokenclient.Client{HTTP: s.HTTP(), Endpoint: endpoint, Redactor: s.Redactor}
	auth := tokenclient.Auth{ClientID: c.ID, Secret: c.Secret, Method: c.AuthMethod, JWT: c.PrivateKeyJWT}
	resp, err := tc.Exchange(ctx, &tokenclient.Request{Auth: auth, Params: req.Params})
	if err != nil {
		return nil, fmt.Errorf("log in: push the authorization request: %w", err)
	}
	var body struct {
		RequestURI string `json:"request_uri"`
	}
	if resp.Status/100 != 2 || json.Unmarshal(resp.Body, &body) != nil || body.RequestURI == "" {
		what := fmt.Sprintf("HTTP %d", resp.Status)
		if resp.Err != nil {
			what += " " + resp.Err.Error()
		}
		return nil, fmt.Errorf("the server requires pushed authorization requests and refused a valid one for client %q at %s: %s",
			c.ID, s.Redactor.URL(endpoint), what)
	}
	out := &authz.Request{Endpoint: req.Endpoint}
	out.Params.Add("client_id", c.ID)
	out.Params.Add("request_uri", body.RequestURI)
	return out, nil
}

// RequiresPAR says whether the metadata requires pushed authorization
// requests (RFC 9126) and names the endpoint to push them to.
func (s *Session) RequiresPAR() bool {
	return s.Metadata != nil && s.Metadata.RequirePushedAuthorizationRequests && s.Metadata.PushedAuthorizationRequestEndpoint != ""
}

// Push pushes an authorization request for client c to the PAR endpoint
// and returns the front-channel request that carries its request_uri
// (pkcecheck code, on a server that requires pushed requests).
func (s *Session) Push(ctx context.Context, c *profiles.Client, req *authz.Request) (*authz.Request, error) {
	return s.pushWarmUp(ctx, c, req)
}
