package django

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// The confidential secret and password in these tests; no error message or
// log line may contain them.
const (
	testSecret   = "test-only-django-secret-Heron-4e1f"
	testPassword = "test-only-django-password-Wren-88"
)

// startTimeout bounds Start in tests, including a cold install.
const startTimeout = DefaultInstallTimeout + time.Minute

func TestStartRejectsBadOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts Options
		want string
	}{
		{"no secret", Options{Password: testPassword}, "ConfidentialSecret is required"},
		{"no password", Options{ConfidentialSecret: testSecret}, "Password is required"},
		{"port out of range", Options{ConfidentialSecret: testSecret, Password: testPassword, Port: 70000}, "out of range"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(context.Background(), tt.opts)
			if err == nil {
				_ = s.Stop()
				t.Fatalf("Start succeeded, want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestServerStartsServesAndStops starts the site, reads its discovery
// document and a token error, stops it and checks that nothing is left;
// then a start on a taken port fails with ErrAddrInUse.
func TestServerStartsServesAndStops(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	log := &providertest.SyncBuffer{}
	began := time.Now()
	s, err := Start(ctx, Options{ConfidentialSecret: testSecret, Password: testPassword, Log: log})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	t.Logf("django %s (pid %d) ready in %v", s.Issuer(), s.PID(), time.Since(began).Round(time.Millisecond))

	m := providertest.Discovery(t, s.Issuer()+"/.well-known/openid-configuration")
	if m.Issuer != s.Issuer() || m.Token != s.Issuer()+"/token/" || m.Authorization != s.Issuer()+"/authorize/" {
		t.Errorf("metadata = %+v", m)
	}
	if !slices.Contains(m.Methods, "S256") {
		t.Errorf("code_challenge_methods_supported = %v, want S256 among them", m.Methods)
	}
	// The confidential application exists and checks its secret.
	var body struct {
		Error string `json:"error"`
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {RedirectURI}}
	if status := providertest.PostToken(t, m.Token, form, ConfidentialClientID, "wrong", &body); status != http.StatusUnauthorized || body.Error != "invalid_client" {
		t.Errorf("wrong secret: %d %q, want 401 invalid_client", status, body.Error)
	}
	if status := providertest.PostToken(t, m.Token, form, ConfidentialClientID, testSecret, &body); status != http.StatusBadRequest || body.Error != "invalid_grant" {
		t.Errorf("right secret, unknown code: %d %q, want 400 invalid_grant", status, body.Error)
	}

	pid, port := s.PID(), s.Port()
	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	providertest.AssertGone(t, pid, port)
	for _, secret := range []string{testSecret, testPassword} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the server's output contains a secret")
		}
	}

	providertest.BusyPort(t, time.Minute, func(ctx context.Context, port int) (*Server, error) {
		return Start(ctx, Options{Port: port, ConfidentialSecret: testSecret, Password: testPassword})
	}, "That port is already in use", testSecret, testPassword)
}

// TestConcurrentStartsGetDifferentPorts starts two servers at once (the
// second waits for the first's install or build under the cache's lock).
func TestConcurrentStartsGetDifferentPorts(t *testing.T) {
	providertest.ConcurrentStarts(t, startTimeout,
		func(ctx context.Context) (*Server, error) {
			return Start(ctx, Options{ConfidentialSecret: testSecret, Password: testPassword})
		},
		func(s *Server) []int { return []int{s.Port()} },
		func(t *testing.T, s *Server) string {
			return providertest.Discovery(t, s.Issuer()+"/.well-known/openid-configuration").Issuer
		})
}
