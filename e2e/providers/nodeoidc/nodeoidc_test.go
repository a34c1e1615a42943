package nodeoidc

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// testSecret is the confidential client's secret in these tests; no error
// message or log line may contain it.
const testSecret = "test-only-confidential-secret-7f3a"

// testVerifier is a well-formed 43-character code_verifier.
const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// startForTest starts a provider that is stopped when the test ends, and
// checks that its output never shows the secret.
func startForTest(t *testing.T, opts Options) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
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
	t.Logf("provider %s (pid %d) ready in %v", s.Issuer(), s.PID(), time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if strings.Contains(log.String(), testSecret) {
			t.Errorf("provider output contains the confidential secret")
		}
	})
	return s
}

func TestDir(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatalf("Dir: %v", err)
	}
	for _, name := range []string{"package.json", "package-lock.json", "server.mjs"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("Dir() = %s lacks %s: %v", dir, name, err)
		}
	}
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

func TestProviderServesStrictPKCE(t *testing.T) {
	s := startForTest(t, Options{})
	if !strings.HasPrefix(s.Issuer(), "http://127.0.0.1:") {
		t.Fatalf("Issuer() = %q, want a 127.0.0.1 URL", s.Issuer())
	}

	meta := discovery(t, s.Issuer())
	if got, want := meta.Issuer, s.Issuer(); got != want {
		t.Errorf("discovery issuer = %q, want %q", got, want)
	}
	if got, want := meta.Methods, []string{"S256"}; !reflect.DeepEqual(got, want) {
		t.Errorf("code_challenge_methods_supported = %q, want %q", got, want)
	}
	for name, ep := range map[string]string{
		"token": meta.Token, "authorization": meta.Authorization,
		"introspection": meta.Introspection, "revocation": meta.Revocation, "userinfo": meta.Userinfo,
	} {
		if !strings.HasPrefix(ep, s.Issuer()+"/") {
			t.Errorf("%s endpoint = %q, want one under %s", name, ep, s.Issuer())
		}
	}

	tests := []struct {
		name   string
		form   url.Values
		basic  bool // authenticate as the confidential client
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
			basic:  true,
			status: http.StatusBadRequest, error: "invalid_grant",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := postToken(t, meta.Token, tt.form, tt.basic)
			if status != tt.status || body.Error != tt.error {
				t.Errorf("token endpoint answered %d error=%q, want %d error=%q", status, body.Error, tt.status, tt.error)
			}
		})
	}

	pid := s.PID()
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	providertest.AssertGone(t, pid, s.Port())
}

// tokenError is an RFC 6749 §5.2 error body.
type tokenError struct {
	Error string `json:"error"`
}

func TestConcurrentStartsGetDifferentPorts(t *testing.T) {
	providertest.ConcurrentStarts(t, 90*time.Second,
		func(ctx context.Context) (*Server, error) { return Start(ctx, Options{ConfidentialSecret: testSecret}) },
		func(s *Server) []int { return []int{s.Port()} },
		func(t *testing.T, s *Server) string { return discovery(t, s.Issuer()).Issuer })
}

func TestStartOnBusyPortFailsWithOutput(t *testing.T) {
	providertest.BusyPort(t, 90*time.Second, func(ctx context.Context, port int) (*Server, error) {
		return Start(ctx, Options{Port: port, ConfidentialSecret: testSecret})
	}, "EADDRINUSE", testSecret)
}

// discovery is the provider's discovery document.
func discovery(t *testing.T, issuer string) providertest.Metadata {
	t.Helper()
	return providertest.Discovery(t, issuer+"/.well-known/openid-configuration")
}

// postToken sends a token request (as the confidential client with Basic
// authentication when basic) and decodes the JSON error answer.
func postToken(t *testing.T, endpoint string, form url.Values, basic bool) (int, tokenError) {
	t.Helper()
	secret := ""
	if basic {
		secret = testSecret
	}
	var body tokenError
	return providertest.PostToken(t, endpoint, form, ConfidentialClientID, secret, &body), body
}
