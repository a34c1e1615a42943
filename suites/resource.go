package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// tokenState is what a resource request says about an access token.
type tokenState int

const (
	tokenUnknown tokenState = iota // the answer does not tell
	tokenValid
	tokenInvalid
)

// tokenCheck asks the server, in one way, whether an access token works.
type tokenCheck struct {
	name  string // "userinfo" or "introspection", for messages
	check func(ctx context.Context, probe, token string) tokenState
}

// tokenChecks are the ways this target offers to test an access token:
// userinfo (a Bearer request, RFC 6750) and introspection (RFC 7662), in
// that order, each only where its endpoint is known.
func (t *Target) tokenChecks() []tokenCheck {
	var out []tokenCheck
	if t.Endpoints.Userinfo != "" {
		out = append(out, tokenCheck{"userinfo", t.userinfo})
	}
	if t.Endpoints.Introspection != "" {
		out = append(out, tokenCheck{"introspection", t.introspect})
	}
	return out
}

// maxResourceBody bounds what is read of a userinfo or introspection answer.
const maxResourceBody = 64 << 10

// userinfo calls the userinfo endpoint with token as a Bearer token: 2xx
// means it works, 401 that it does not; anything else does not tell.
func (t *Target) userinfo(ctx context.Context, probe, token string) tokenState {
	t.Redactor.Add(token)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.Endpoints.Userinfo, nil)
	if err != nil {
		harnessError("build the userinfo request for %s: %v", t.Redactor.URL(t.Endpoints.Userinfo), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, _, ok := t.resourceRequest(probe, req, nil)
	switch {
	case !ok:
		return tokenUnknown
	case status >= 200 && status < 300:
		return tokenValid
	case status == http.StatusUnauthorized:
		return tokenInvalid
	}
	return tokenUnknown
}

// introspect asks the introspection endpoint about token, authenticated as
// the confidential client when the profile has one (else with the public
// client's id): "active" true or false tells, anything else does not.
func (t *Target) introspect(ctx context.Context, probe, token string) tokenState {
	t.Redactor.Add(token)
	c := t.Profile.Clients.Confidential
	if c == nil {
		c = t.Profile.Clients.Public
	}
	params := form.Params{{"token", token}, {"token_type_hint", "access_token"}}
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Accept", "application/json")
	switch c.AuthMethod {
	case profiles.AuthClientSecretBasic:
		creds := tokenclient.BasicCredentials(c.ID, c.Secret)
		t.Redactor.Add(c.Secret, creds)
		h.Set("Authorization", "Basic "+creds)
	case profiles.AuthClientSecretPost:
		t.Redactor.Add(c.Secret)
		params.Add("client_id", c.ID)
		params.Add("client_secret", c.Secret)
	default:
		params.Add("client_id", c.ID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Endpoints.Introspection, strings.NewReader(params.Encode()))
	if err != nil {
		harnessError("build the introspection request for %s: %v", t.Redactor.URL(t.Endpoints.Introspection), err)
	}
	req.Header = h
	status, body, ok := t.resourceRequest(probe, req, params)
	if !ok || status != http.StatusOK {
		return tokenUnknown
	}
	var answer struct {
		Active *bool `json:"active"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Active == nil {
		return tokenUnknown
	}
	if *answer.Active {
		return tokenValid
	}
	return tokenInvalid
}

// resourceRequest sends req through t.HTTP (counted, rate-limited) and
// records redacted evidence; params is the form the request carries, if
// any. ok is false when no answer came back.
func (t *Target) resourceRequest(probe string, req *http.Request, params form.Params) (status int, body []byte, ok bool) {
	ctx, cancel := context.WithTimeout(req.Context(), t.Profile.Limits.Timeout)
	defer cancel()
	reqEvidence := req.Method + " " + t.Redactor.URL(req.URL.String()) + "\n" + t.Redactor.Header(req.Header)
	if params != nil {
		reqEvidence += "\n\n" + t.Redactor.Params(params)
	}
	resp, err := t.HTTP.Do(req.WithContext(ctx))
	if err != nil {
		evidence(probe, reqEvidence, "no answer: "+t.Redactor.String(err.Error()))
		return 0, nil, false
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxResourceBody))
	if err != nil {
		evidence(probe, reqEvidence, "HTTP "+strconv.Itoa(resp.StatusCode)+", body unreadable: "+t.Redactor.String(err.Error()))
		return 0, nil, false
	}
	h := http.Header{}
	for _, name := range []string{"Content-Type", "Cache-Control", "WWW-Authenticate"} {
		if v := resp.Header.Values(name); len(v) > 0 {
			h[name] = v
		}
	}
	if resp.StatusCode >= 500 {
		serverError(probe, resp.StatusCode)
		probe += ": " + serverErrorText(resp.StatusCode)
	}
	evidence(probe, reqEvidence, fmt.Sprintf("HTTP %s\n%s\n\n%s", resp.Status, t.Redactor.Header(h), t.Redactor.JSON(body)))
	return resp.StatusCode, body, true
}
