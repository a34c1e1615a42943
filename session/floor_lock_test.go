package session

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
)

// lockConfig finds the configuration of an Auth0 Classic Universal Login
// page (the base64 JSON the page hands to Lock).
var lockConfig = regexp.MustCompile(`window\.atob\('([^']+)'\)`)

// lockPage finds the configuration on a page that starts Lock.
func lockPage(page []byte) (string, bool) {
	m := lockConfig.FindSubmatch(page)
	if m == nil || !bytes.Contains(page, []byte("new Auth0Lock(")) {
		return "", false
	}
	return string(m[1]), true
}

// lockSignIn is the floor client's way through Auth0 Lock's login: the
// request auth0-js makes (POST /usernamepassword/login, JSON, with the
// transaction's state from the page's configuration); it returns the
// hidden form the answer holds (its action and fields), which the caller
// posts as the browser would.
func (f *floorClient) lockSignIn(ctx context.Context, page *url.URL, encoded string) (string, url.Values, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", nil, fmt.Errorf("Lock configuration: %w", err)
	}
	var config struct {
		ClientID string            `json:"clientID"`
		Callback string            `json:"callbackURL"`
		Params   map[string]string `json:"internalOptions"`
	}
	if err := json.Unmarshal(raw, &config); err != nil {
		return "", nil, fmt.Errorf("Lock configuration: %w", err)
	}
	body := map[string]string{"client_id": config.ClientID, "redirect_uri": config.Callback,
		"connection": "Username-Password-Authentication", "username": f.user, "password": f.password}
	for k, v := range config.Params {
		body[k] = v
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", nil, err
	}
	target, err := page.Parse("/usernamepassword/login")
	if err != nil {
		return "", nil, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(data))
	if err != nil {
		return "", nil, err
	}
	r.Header.Set("Content-Type", "application/json")
	resp, err := f.http.Do(r)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	form, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	action, fields, ok := firstForm(string(form))
	if resp.StatusCode != http.StatusOK || !ok {
		return "", nil, fmt.Errorf("Lock login refused with HTTP %d", resp.StatusCode)
	}
	f.logins++
	return action, fields, nil
}
