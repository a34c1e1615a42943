package hydra

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// adminTimeout bounds one admin API call.
const adminTimeout = 10 * time.Second

// maxAdminBody bounds what is read of an admin API answer.
const maxAdminBody = 1 << 20

// admin calls Hydra's admin API (https://www.ory.sh/docs/hydra/reference/api).
type admin struct {
	base   string // e.g. http://127.0.0.1:4445
	client *http.Client
	// forget accepts logins and consents without remember (Options.Forget).
	forget bool
}

func newAdmin(base string) *admin {
	return &admin{base: base, client: &http.Client{Timeout: adminTimeout}}
}

// oauthClient is the part of Hydra's client model Start sets.
type oauthClient struct {
	ID            string   `json:"client_id"`
	Name          string   `json:"client_name"`
	Secret        string   `json:"client_secret,omitempty"`
	AuthMethod    string   `json:"token_endpoint_auth_method"`
	GrantTypes    []string `json:"grant_types"`
	ResponseTypes []string `json:"response_types"`
	RedirectURIs  []string `json:"redirect_uris"`
	Scope         string   `json:"scope"`
}

// createClient registers c (POST /admin/clients).
func (a *admin) createClient(ctx context.Context, c oauthClient) error {
	if err := a.call(ctx, http.MethodPost, "/admin/clients", nil, c, nil); err != nil {
		return fmt.Errorf("register client %s: %w", c.ID, err)
	}
	return nil
}

// loginRequest is the part of a login request the app reads.
type loginRequest struct {
	Skip    bool      `json:"skip"`
	Subject string    `json:"subject"`
	Client  clientRef `json:"client"`
}

// consentRequest is the part of a consent request the app reads.
type consentRequest struct {
	Skip     bool      `json:"skip"`
	Subject  string    `json:"subject"`
	Scope    []string  `json:"requested_scope"`
	Audience []string  `json:"requested_access_token_audience"`
	Client   clientRef `json:"client"`
}

// clientRef names the client a login or consent request is for.
type clientRef struct {
	ID   string `json:"client_id"`
	Name string `json:"client_name"`
}

// redirect is the admin API's answer to accepting a request.
type redirect struct {
	To string `json:"redirect_to"`
}

// loginRequest fetches the login request of challenge.
func (a *admin) loginRequest(ctx context.Context, challenge string) (*loginRequest, error) {
	var lr loginRequest
	q := url.Values{"login_challenge": {challenge}}
	if err := a.call(ctx, http.MethodGet, "/admin/oauth2/auth/requests/login", q, nil, &lr); err != nil {
		return nil, fmt.Errorf("get login request: %w", err)
	}
	return &lr, nil
}

// acceptLogin accepts the login request of challenge for subject, remembered
// by Hydra's session cookie until the browser session ends (remember_for 0
// means no expiry; not remembered under forget), and returns where to send
// the browser.
func (a *admin) acceptLogin(ctx context.Context, challenge, subject string) (string, error) {
	body := map[string]any{"subject": subject, "remember": !a.forget, "remember_for": 0}
	var r redirect
	q := url.Values{"login_challenge": {challenge}}
	if err := a.call(ctx, http.MethodPut, "/admin/oauth2/auth/requests/login/accept", q, body, &r); err != nil {
		return "", fmt.Errorf("accept login request: %w", err)
	}
	return r.To, nil
}

// consentRequest fetches the consent request of challenge.
func (a *admin) consentRequest(ctx context.Context, challenge string) (*consentRequest, error) {
	var cr consentRequest
	q := url.Values{"consent_challenge": {challenge}}
	if err := a.call(ctx, http.MethodGet, "/admin/oauth2/auth/requests/consent", q, nil, &cr); err != nil {
		return nil, fmt.Errorf("get consent request: %w", err)
	}
	return &cr, nil
}

// acceptConsent grants every scope and audience cr asks for, remembered, and
// returns where to send the browser.
func (a *admin) acceptConsent(ctx context.Context, challenge string, cr *consentRequest) (string, error) {
	body := map[string]any{
		"grant_scope":                 nonNil(cr.Scope),
		"grant_access_token_audience": nonNil(cr.Audience),
		"remember":                    !a.forget,
		"remember_for":                0,
	}
	var r redirect
	q := url.Values{"consent_challenge": {challenge}}
	if err := a.call(ctx, http.MethodPut, "/admin/oauth2/auth/requests/consent/accept", q, body, &r); err != nil {
		return "", fmt.Errorf("accept consent request: %w", err)
	}
	return r.To, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// call sends one JSON request to the admin API and decodes a 2xx answer into
// out (if not nil). Errors name the method and path, never the query (it
// holds challenges) or the body (it may hold a client secret).
func (a *admin) call(ctx context.Context, method, path string, query url.Values, in, out any) error {
	target := a.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode body: %w", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, stripURL(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAdminBody))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, adminError(data))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// adminError picks the error and its description out of an admin API error
// body; they describe the request, not its values.
func adminError(data []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(data, &e) != nil || e.Error == "" {
		return "no error body"
	}
	if e.Description == "" {
		return e.Error
	}
	return e.Error + ": " + e.Description
}

// stripURL drops the URL (with its query) from a client error.
func stripURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}
