package dex

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// testSecret is the confidential client's secret in these tests; no error
// message or log line may contain it.
const testSecret = "test-only-dex-secret-Umber-61c9"

// testVerifier is a well-formed 43-character code_verifier.
const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// startTimeout bounds Start in tests, including a cold build of Dex.
const startTimeout = 12 * time.Minute

// startForTest starts a Dex that is stopped when the test ends, and checks
// that its output never shows the secret.
func startForTest(t *testing.T, opts Options) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	log := &providertest.SyncBuffer{}
	opts.Log = log
	if opts.ConfidentialSecret == "" {
		opts.ConfidentialSecret = testSecret
	}
	began := time.Now()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("dex %s (pid %d) ready in %v", s.Issuer(), s.PID(), time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if strings.Contains(log.String(), testSecret) {
			t.Errorf("dex output contains the confidential secret")
		}
	})
	return s
}

func TestStartRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no secret", Options{}, "ConfidentialSecret is required"},
		{"negative port", Options{ConfidentialSecret: testSecret, Port: -1}, "out of range"},
		{"port too large", Options{ConfidentialSecret: testSecret, Port: 70000}, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(context.Background(), tt.opts)
			if err == nil {
				_ = s.Stop()
				t.Fatalf("Start(%+v) succeeded, want an error containing %q", tt.opts, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDexServesDiscoveryAndTokenErrors(t *testing.T) {
	s := startForTest(t, Options{})
	if !strings.HasPrefix(s.Issuer(), "http://127.0.0.1:") || !strings.HasSuffix(s.Issuer(), "/dex") {
		t.Fatalf("Issuer() = %q, want http://127.0.0.1:<port>/dex", s.Issuer())
	}

	meta := discovery(t, s.Issuer())
	if meta.Issuer != s.Issuer() {
		t.Errorf("discovery issuer = %q, want %q", meta.Issuer, s.Issuer())
	}
	// Dex advertises plain next to S256 (and honours both).
	if got, want := meta.Methods, []string{"S256", "plain"}; !reflect.DeepEqual(got, want) {
		t.Errorf("code_challenge_methods_supported = %q, want %q", got, want)
	}
	for name, ep := range map[string]string{
		"token": meta.Token, "authorization": meta.Authorization,
		"introspection": meta.Introspection, "userinfo": meta.Userinfo,
	} {
		if !strings.HasPrefix(ep, s.Issuer()+"/") {
			t.Errorf("%s endpoint = %q, want one under %s", name, ep, s.Issuer())
		}
	}

	tests := []struct {
		name   string
		form   url.Values
		basic  string // secret for Basic authentication as the confidential client; "" for none
		status int
		error  string
	}{
		{
			name: "public client, unknown code",
			form: url.Values{"grant_type": {"authorization_code"}, "client_id": {PublicClientID},
				"code": {"unknown-code"}, "redirect_uri": {RedirectURI}, "code_verifier": {testVerifier}},
			status: http.StatusBadRequest, error: "invalid_grant",
		},
		{
			name: "other client, unknown code, no verifier",
			form: url.Values{"grant_type": {"authorization_code"}, "client_id": {OtherClientID},
				"code": {"unknown-code"}, "redirect_uri": {RedirectURI}},
			status: http.StatusBadRequest, error: "invalid_grant",
		},
		{
			name: "confidential client, unknown code",
			form: url.Values{"grant_type": {"authorization_code"},
				"code": {"unknown-code"}, "redirect_uri": {RedirectURI}, "code_verifier": {testVerifier}},
			basic:  testSecret,
			status: http.StatusBadRequest, error: "invalid_grant",
		},
		{
			name: "confidential client, wrong secret",
			form: url.Values{"grant_type": {"authorization_code"},
				"code": {"unknown-code"}, "redirect_uri": {RedirectURI}, "code_verifier": {testVerifier}},
			basic:  "wrong-secret",
			status: http.StatusUnauthorized, error: "invalid_client",
		},
		{
			name:   "unsupported grant type",
			form:   url.Values{"grant_type": {"urn:pkcecheck:unsupported"}, "client_id": {PublicClientID}},
			status: http.StatusBadRequest, error: "unsupported_grant_type",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postToken(t, meta.Token, tt.form, tt.basic)
			if r.status != tt.status || r.body["error"] != tt.error {
				t.Errorf("token endpoint answered %d error=%v, want %d error=%q", r.status, r.body["error"], tt.status, tt.error)
			}
		})
	}

	pid, dir := s.PID(), s.tmpDir
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	providertest.AssertGone(t, pid, s.Port())
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("config folder %s still there after Stop (%v)", dir, err)
	}
}

// metadata is the part of the discovery document the tests read.
type metadata struct {
	Issuer        string   `json:"issuer"`
	Authorization string   `json:"authorization_endpoint"`
	Token         string   `json:"token_endpoint"`
	Introspection string   `json:"introspection_endpoint"`
	Userinfo      string   `json:"userinfo_endpoint"`
	Methods       []string `json:"code_challenge_methods_supported"`
}

func discovery(t *testing.T, issuer string) metadata {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("fetch discovery: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery status = %d, want 200", resp.StatusCode)
	}
	var m metadata
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("decode discovery: %v", err)
	}
	return m
}

// tokenAnswer is a token endpoint's status and JSON body.
type tokenAnswer struct {
	status int
	body   map[string]any
}

// postToken sends a token request (with Basic authentication as the
// confidential client when basic is set) and decodes the JSON answer,
// failing the test if it is not JSON.
func postToken(t *testing.T, endpoint string, form url.Values, basic string) tokenAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("build token request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != "" {
		req.SetBasicAuth(ConfidentialClientID, basic)
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
	a := tokenAnswer{status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&a.body); err != nil {
		t.Fatalf("decode token response (status %d): %v", resp.StatusCode, err)
	}
	return a
}

func TestConcurrentStartsGetDifferentPorts(t *testing.T) {
	providertest.ConcurrentStarts(t, startTimeout,
		func(ctx context.Context) (*Server, error) { return Start(ctx, Options{ConfidentialSecret: testSecret}) },
		func(s *Server) []int { return []int{s.Port()} },
		func(t *testing.T, s *Server) string { return discovery(t, s.Issuer()).Issuer })
}

func TestStartOnBusyPortFailsWithOutput(t *testing.T) {
	providertest.BusyPort(t, startTimeout, func(ctx context.Context, port int) (*Server, error) {
		return Start(ctx, Options{Port: port, ConfidentialSecret: testSecret})
	}, "address already in use", testSecret)
}
