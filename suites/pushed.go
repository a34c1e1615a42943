package suites

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// pushedRequest is the answer of the pushed authorization request endpoint
// (RFC 9126 §2.2, §2.3) to one request.
type pushedRequest struct {
	uri   string // request_uri; "" when refused
	state string // the state pushed with the request
	resp  *tokenclient.Response
}

// parEndpoint is the metadata's pushed_authorization_request_endpoint.
func (t *Target) parEndpoint() string {
	if t.Metadata == nil {
		return ""
	}
	return t.Metadata.PushedAuthorizationRequestEndpoint
}

// requirePAR reports whether every authorization request must be pushed.
func (t *Target) requirePAR() bool {
	return t.parEndpoint() != "" && t.Metadata.RequirePushedAuthorizationRequests
}

// push sends an authorization request for c to the PAR endpoint,
// authenticated as c authenticates at the token endpoint, and records the
// exchange as evidence.
func (t *Target) push(ctx context.Context, probe string, c *profiles.Client, ar authRequest) pushedRequest {
	state := randomState()
	params := form.Params{{"response_type", "code"}, {"client_id", c.ID}, {"redirect_uri", c.RedirectURI}}
	if len(c.Scopes) > 0 {
		params.Add("scope", strings.Join(c.Scopes, " "))
	}
	params.Add("state", state)
	if ar.Challenge != "" {
		params.Add("code_challenge", ar.Challenge)
	}
	if ar.Method != "" {
		params.Add("code_challenge_method", ar.Method)
	}
	if ar.ResponseType != "" { // a hybrid flow (responsemode.go) needs a nonce
		params.Set("response_type", ar.ResponseType)
		params.Add("nonce", randomState())
	}
	params = append(params, ar.Raw...)
	ctx, cancel := context.WithTimeout(ctx, t.Profile.Limits.Timeout)
	defer cancel()
	tc := tokenclient.Client{HTTP: t.HTTP, Endpoint: t.parEndpoint(), Redactor: t.Redactor}
	pushReq := &tokenclient.Request{Auth: clientAuth(c), Params: params}
	resp, err := tc.Exchange(ctx, pushReq)
	if err != nil {
		harnessError("push the authorization request: %v", t.Redactor.String(err.Error()))
	}
	ev := resp.Evidence
	ev.Probe = probe
	ev.Replay = replayOf(pushReq, 0, 0)
	record(ev)
	out := pushedRequest{state: state, resp: resp}
	var body struct {
		RequestURI string `json:"request_uri"`
	}
	if resp.Status/100 == 2 && json.Unmarshal(resp.Body, &body) == nil {
		out.uri = body.RequestURI
	}
	return out
}

// refusal turns a refused push into the authorization error it stands for.
func (p pushedRequest) refusal() *authz.Response {
	r := &authz.Response{Pushed: true, Status: p.resp.Status, State: p.state, SentState: p.state}
	if p.resp.Err != nil {
		r.Error, r.ErrorDescription = p.resp.Err.Code, p.resp.Err.Description
	} else {
		r.ErrorPage = true // no OAuth error body
	}
	return r
}

// authorizeURI sends the browser to /authorize with client_id (c's) and the
// pushed request's request_uri, plus front-channel extras.
func (t *Target) authorizeURI(ctx context.Context, c *profiles.Client, p pushedRequest, extra form.Params) *authz.Response {
	req := &authz.Request{Endpoint: t.Endpoints.Authorization}
	req.Params.Add("client_id", c.ID)
	req.Params.Add("request_uri", p.uri)
	req.Params = append(req.Params, extra...)
	return t.browse(ctx, c, req, p.state)
}
