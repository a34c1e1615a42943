package session

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
)

// idxStateToken finds the state handle in an Okta hosted sign-in page (the
// widget's "stateToken"); the page has no HTML form to post.
var idxStateToken = regexp.MustCompile(`"stateToken":"([^"]+)"`)

// idxSignIn is the floor client's way through an Okta Identity Engine
// sign-in: the JSON requests the Sign-In Widget makes (introspect, then
// each remediation the org asks for: identify, the password, "stay signed
// in", consent), without the widget. It returns the URL of the success
// redirect.
func (f *floorClient) idxSignIn(ctx context.Context, page *url.URL, handle string) (string, error) {
	endpoint, err := page.Parse("/idp/idx/introspect")
	if err != nil {
		return "", err
	}
	target, body := endpoint.String(), map[string]any{"stateToken": handle}
	for range 10 {
		out, err := f.idxPost(ctx, target, body)
		if err != nil {
			return "", err
		}
		if s, ok := out.Success["href"].(string); ok {
			return s, nil
		}
		if len(out.Remediation.Value) == 0 {
			return "", fmt.Errorf("IDX answer with neither success nor remediation (%d messages)", len(out.Messages.Value))
		}
		rem := out.Remediation.Value[0]
		body = map[string]any{"stateHandle": out.StateHandle}
		switch rem.Name {
		case "identify":
			body["identifier"] = f.user
			for _, v := range rem.Value {
				if v.Name == "credentials" {
					body["credentials"] = map[string]any{"passcode": f.password}
				}
			}
			f.logins++
		case "challenge-authenticator":
			body["credentials"] = map[string]any{"passcode": f.password}
		case "keep-me-signed-in":
			body["keepMeSignedIn"] = true
		case "consent":
			body["consent"] = true
		default:
			return "", fmt.Errorf("IDX remediation %q is not one the floor client answers", rem.Name)
		}
		target = rem.Href
	}
	return "", fmt.Errorf("IDX sign-in took more than 10 steps")
}

// idxAnswer is the part of an IDX answer the floor client reads.
type idxAnswer struct {
	StateHandle string         `json:"stateHandle"`
	Success     map[string]any `json:"success"`
	Remediation struct {
		Value []struct {
			Name  string `json:"name"`
			Href  string `json:"href"`
			Value []struct {
				Name string `json:"name"`
			} `json:"value"`
		} `json:"value"`
	} `json:"remediation"`
	Messages struct {
		Value []any `json:"value"`
	} `json:"messages"`
}

// idxPost sends one IDX request.
func (f *floorClient) idxPost(ctx context.Context, target string, body map[string]any) (*idxAnswer, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/ion+json; okta-version=1.0.0")
	r.Header.Set("Accept", "application/ion+json; okta-version=1.0.0")
	resp, err := f.http.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out idxAnswer
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("IDX answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("IDX request refused with HTTP %d", resp.StatusCode)
	}
	return &out, nil
}
