package refidp

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMetadata(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(*Config)
		methods []string
	}{
		{"clean", nil, []string{"S256"}},
		{"plain supported", func(c *Config) { c.PlainSupported = true }, []string{"S256", "plain"}},
		{"plain-accepted", func(c *Config) { c.Flaws = []string{flawPlainAccepted} }, []string{"S256", "plain"}},
		{"plain-unadvertised", func(c *Config) { c.Flaws = []string{flawPlainUnadvertised} }, []string{"S256"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, tc.mutate)
			iss := h.srv.Issuer()
			if !strings.HasPrefix(iss, "http://127.0.0.1:") {
				t.Fatalf("issuer %s", iss)
			}
			for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
				resp, body := h.get(apiClient, iss+path)
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
					t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				var m map[string]any
				if err := json.Unmarshal([]byte(body), &m); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				want := map[string]any{
					"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/token",
					"userinfo_endpoint": iss + "/userinfo", "introspection_endpoint": iss + "/introspect",
					"authorization_response_iss_parameter_supported": true,
				}
				for k, v := range want {
					if m[k] != v {
						t.Errorf("%s: %s = %v, want %v", path, k, m[k], v)
					}
				}
				if got := fmt.Sprint(m["code_challenge_methods_supported"]); got != fmt.Sprint(tc.methods) {
					t.Errorf("%s: methods %s, want %v", path, got, tc.methods)
				}
				for _, k := range []string{"response_types_supported", "grant_types_supported", "token_endpoint_auth_methods_supported", "scopes_supported"} {
					if l, _ := m[k].([]any); len(l) == 0 {
						t.Errorf("%s: %s missing", path, k)
					}
				}
			}
		})
	}
}

func TestStartValidatesConfig(t *testing.T) {
	good := Config{Username: "u", Password: "p", RedirectURI: testRedirect, ConfidentialSecret: "s"}
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"no username", func(c *Config) { c.Username = "" }, "Username"},
		{"no password", func(c *Config) { c.Password = "" }, "Password"},
		{"no secret", func(c *Config) { c.ConfidentialSecret = "" }, "ConfidentialSecret"},
		{"no redirect", func(c *Config) { c.RedirectURI = "" }, "RedirectURI"},
		{"relative redirect", func(c *Config) { c.RedirectURI = "/callback" }, "RedirectURI"},
		{"unknown flaw", func(c *Config) { c.Flaws = []string{"made-up"} }, `"made-up"`},
	}
	for _, tc := range cases {
		cfg := good
		tc.mutate(&cfg)
		s, err := Start(context.Background(), cfg)
		if err == nil {
			_ = s.Close()
			t.Errorf("%s: Start succeeded", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not name %s", tc.name, err, tc.want)
		}
		if strings.Contains(err.Error(), "\"p\"") || strings.Contains(err.Error(), "\"s\"") {
			t.Errorf("%s: error shows a secret", tc.name)
		}
	}
}

// TestCloseFreesPort: after Close the port can be bound again; Close twice
// is fine.
func TestCloseFreesPort(t *testing.T) {
	h := startHarness(t, nil)
	addr := strings.TrimPrefix(h.srv.Issuer(), "http://")
	if err := h.srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := h.srv.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("port still taken after Close: %v", err)
	}
	_ = ln.Close()
}

// TestContextCancelStops: cancelling Start's context stops the server.
func TestContextCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Config{Username: "u", Password: "p", RedirectURI: testRedirect, ConfidentialSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	cancel()
	deadline := time.Now().Add(2 * time.Second)
	for {
		resp, err := apiClient.Get(s.Issuer() + "/.well-known/openid-configuration")
		if err != nil {
			return
		}
		_ = resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still answers after its context was cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLogsHoldNoSecrets runs logins, codes, tokens and errors with a logger
// and looks for every secret in its lines.
func TestLogsHoldNoSecrets(t *testing.T) {
	var (
		mu    sync.Mutex
		lines []string
	)
	h := startHarness(t, func(c *Config) {
		c.Consent = true
		c.Logf = func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf(format, args...))
		}
	})
	secrets := []string{testUser, testPassword, testSecret}
	for _, c := range []cred{pub, confBasic, confPost} {
		v := newVerifier(t, 43)
		code := h.codeS256(c, v)
		r := h.exchange(c, code, verifierP(v))
		if !r.ok() {
			t.Fatalf("redeem: %d %s", r.Status, r.Error)
		}
		_ = h.exchange(c, code, verifierP(v)) // replay
		_ = h.userinfo(r.AccessToken)
		_ = h.introspect(confBasic, r.AccessToken)
		secrets = append(secrets, v, code, r.AccessToken)
	}
	_ = h.tokenCall(cred{ConfidentialClientID, "wrong-" + testSecret, "basic"}, [][2]string{{"grant_type", "authorization_code"}, {"code", "x"}})
	mu.Lock()
	defer mu.Unlock()
	if len(lines) < 10 {
		t.Fatalf("only %d log lines", len(lines))
	}
	for _, l := range lines {
		for _, s := range secrets {
			if strings.Contains(l, s) {
				t.Fatalf("log line holds a secret (%d characters): %q", len(s), strings.ReplaceAll(l, s, "[SECRET]"))
			}
		}
	}
}

func TestStatsCountTokenRequests(t *testing.T) {
	h := startHarness(t, nil)
	v := newVerifier(t, 43)
	code := h.codeS256(pub, v)
	_ = h.exchange(pub, code)
	_ = h.exchange(pub, code, verifierP(v))
	want := Stats{Logins: 1, CodesIssued: 1, TokenRequests: 2}
	if got := h.srv.Stats(); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
	resp, _ := h.get(apiClient, h.srv.Issuer()+"/token")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /token: %d, want 405", resp.StatusCode)
	}
}
