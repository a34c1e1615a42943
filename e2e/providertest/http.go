package providertest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Metadata is the part of a discovery document the provider tests read.
type Metadata struct {
	Issuer        string   `json:"issuer"`
	Authorization string   `json:"authorization_endpoint"`
	Token         string   `json:"token_endpoint"`
	Introspection string   `json:"introspection_endpoint"`
	Revocation    string   `json:"revocation_endpoint"`
	Userinfo      string   `json:"userinfo_endpoint"`
	Methods       []string `json:"code_challenge_methods_supported"`
}

// Discovery fetches and decodes the discovery document at docURL, failing
// the test unless it answers 200 with JSON.
func Discovery(t *testing.T, docURL string) Metadata {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(docURL)
	if err != nil {
		t.Fatalf("fetch discovery: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery status = %d, want 200", resp.StatusCode)
	}
	var m Metadata
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("decode discovery: %v", err)
	}
	return m
}

// PostToken sends a token request (with Basic authentication as clientID
// when secret is set), decodes the JSON answer into body and returns the
// status; an answer that is not JSON fails the test.
func PostToken(t *testing.T, endpoint string, form url.Values, clientID, secret string, body any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("build token request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if secret != "" {
		req.SetBasicAuth(clientID, secret)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("post token request: %v", err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("token response Content-Type = %q, want application/json", ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(body); err != nil {
		t.Fatalf("decode token response (status %d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode
}
