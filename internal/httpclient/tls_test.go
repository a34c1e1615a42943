package httpclient

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/testserver"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestTLSVerification: certificates are verified by default; ca_file adds
// a private CA; insecure_skip_verify turns verification off.
func TestTLSVerification(t *testing.T) {
	ca := testserver.NewCA(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	other := testserver.NewCA(t) // trusts nothing the server has

	tests := []struct {
		name string
		tls  profiles.TLS
		ok   bool
		hint bool
	}{
		{"default: the system roots", profiles.TLS{}, false, true},
		{"ca_file of the server's CA", profiles.TLS{CAFile: "ca.pem", CAPEM: ca.PEM}, true, false},
		{"ca_file of another CA", profiles.TLS{CAFile: "other.pem", CAPEM: other.PEM}, false, true},
		{"insecure_skip_verify", profiles.TLS{InsecureSkipVerify: true}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := TLSConfig(tt.tls)
			if err != nil {
				t.Fatal(err)
			}
			c := New(Options{TLS: cfg, Timeout: 5 * time.Second})
			_, err = get(t, context.Background(), c, srv.URL+"/")
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if hinted := err != nil && strings.Contains(err.Error(), "set tls.ca_file"); hinted != tt.hint {
				t.Errorf("hint in %v: %v, want %v", err, hinted, tt.hint)
			}
		})
	}
	if _, err := TLSConfig(profiles.TLS{CAFile: "x.pem", CAPEM: []byte("garbage")}); err == nil || !strings.Contains(err.Error(), "x.pem") {
		t.Errorf("TLSConfig of garbage: %v", err)
	}
}

// TestOptionsFor: a profile's limits, tls and scope reach the client.
func TestOptionsFor(t *testing.T) {
	p := &profiles.Profile{
		Issuer:    "https://idp.example.com/realms/x",
		Endpoints: profiles.Endpoints{Token: "https://tok.example.org/t"},
		Limits:    profiles.Limits{RequestsPerSecond: 7, Timeout: 3 * time.Second, MaxRequests: 42},
		TLS:       profiles.TLS{InsecureSkipVerify: true},
		Scope:     profiles.Scope{Hosts: []string{"*.cdn.example.net"}},
	}
	o, err := OptionsFor(p)
	if err != nil {
		t.Fatal(err)
	}
	if o.Timeout != 3*time.Second || o.RequestsPerSecond != 7 || o.MaxRequests != 42 || o.TLS == nil || !o.TLS.InsecureSkipVerify {
		t.Errorf("options %+v", o)
	}
	if strings.Join(o.AllowedHosts, " ") != "idp.example.com tok.example.org *.cdn.example.net" {
		t.Errorf("AllowedHosts = %q", o.AllowedHosts)
	}
	c, err := ForProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckScope("https://other.example/"); !errors.Is(err, ErrOutOfScope) {
		t.Errorf("CheckScope: %v", err)
	}
}

// TestTimeoutMessage: a server that does not answer within the timeout is
// named as such.
func TestTimeoutMessage(t *testing.T) {
	srv, _ := newServer(t)
	c := New(Options{Timeout: 100 * time.Millisecond})
	_, err := get(t, context.Background(), c, srv.URL+"/slow")
	if err == nil || !strings.Contains(err.Error(), "no response within 100ms (limits.timeout)") {
		t.Errorf("err = %v", err)
	}
}
