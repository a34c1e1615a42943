package dex

import (
	"context"
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

// tokenAnswer is a token endpoint's status and JSON body.
type tokenAnswer struct {
	status int
	body   map[string]any
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

// discovery is Dex's discovery document.
func discovery(t *testing.T, issuer string) providertest.Metadata {
	t.Helper()
	return providertest.Discovery(t, issuer+"/.well-known/openid-configuration")
}

// postToken sends a token request (with Basic authentication as the
// confidential client when basic, its secret, is set) and decodes the JSON
// answer.
func postToken(t *testing.T, endpoint string, form url.Values, basic string) tokenAnswer {
	t.Helper()
	var a tokenAnswer
	a.status = providertest.PostToken(t, endpoint, form, ConfidentialClientID, basic, &a.body)
	return a
}
