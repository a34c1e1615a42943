package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// server is a metadata server on 127.0.0.1 that records the paths requested.
type server struct {
	URL   string
	mu    sync.Mutex
	paths []string
}

func (s *server) requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

// newServer starts a server whose handler is h(issuerBase, w, r); it is
// closed when the test ends.
func newServer(t *testing.T, h func(base string, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{URL: "http://" + ln.Addr().String()}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		h(s.URL, w, r)
	}))
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	return s
}

func writeJSON(w http.ResponseWriter, doc map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(doc)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestFetchOpenIDConfiguration(t *testing.T) {
	s := newServer(t, func(base string, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/realms/demo/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		issuer := base + "/realms/demo"
		writeJSON(w, map[string]any{
			"issuer":                                         issuer,
			"authorization_endpoint":                         issuer + "/auth",
			"token_endpoint":                                 issuer + "/token",
			"userinfo_endpoint":                              issuer + "/userinfo",
			"introspection_endpoint":                         issuer + "/introspect",
			"revocation_endpoint":                            issuer + "/revoke",
			"code_challenge_methods_supported":               []string{"S256"},
			"authorization_response_iss_parameter_supported": true,
			"token_endpoint_auth_methods_supported":          []string{"none", "client_secret_basic"},
		})
	})
	issuer := s.URL + "/realms/demo"
	m, err := Fetch(ctxT(t), nil, issuer)
	if err != nil {
		t.Fatal(err)
	}
	want := Metadata{
		Issuer:                                     issuer,
		AuthorizationEndpoint:                      issuer + "/auth",
		TokenEndpoint:                              issuer + "/token",
		UserinfoEndpoint:                           issuer + "/userinfo",
		IntrospectionEndpoint:                      issuer + "/introspect",
		RevocationEndpoint:                         issuer + "/revoke",
		CodeChallengeMethodsSupported:              []string{"S256"},
		HasCodeChallengeMethods:                    true,
		AuthorizationResponseIssParameterSupported: true,
		TokenEndpointAuthMethodsSupported:          []string{"none", "client_secret_basic"},
		Source:                                     issuer + "/.well-known/openid-configuration",
	}
	got := *m
	got.Raw = nil
	if !equalMetadata(got, want) {
		t.Errorf("Fetch =\n%+v\nwant\n%+v", got, want)
	}
	if m.Raw["revocation_endpoint"] != issuer+"/revoke" {
		t.Errorf("Raw = %v", m.Raw)
	}
	if p := s.requested(); len(p) != 1 {
		t.Errorf("requested %q, want one request", p)
	}
}

func equalMetadata(a, b Metadata) bool {
	return a.Issuer == b.Issuer && a.AuthorizationEndpoint == b.AuthorizationEndpoint &&
		a.TokenEndpoint == b.TokenEndpoint && a.UserinfoEndpoint == b.UserinfoEndpoint &&
		a.IntrospectionEndpoint == b.IntrospectionEndpoint && a.RevocationEndpoint == b.RevocationEndpoint &&
		slices.Equal(a.CodeChallengeMethodsSupported, b.CodeChallengeMethodsSupported) &&
		a.HasCodeChallengeMethods == b.HasCodeChallengeMethods &&
		a.AuthorizationResponseIssParameterSupported == b.AuthorizationResponseIssParameterSupported &&
		slices.Equal(a.TokenEndpointAuthMethodsSupported, b.TokenEndpointAuthMethodsSupported) &&
		a.Source == b.Source
}

func TestFetchOAuthAuthorizationServer(t *testing.T) {
	tests := []struct {
		name   string
		served string // the only path that has the document
		want   []string
	}{
		{"path insertion", "/.well-known/oauth-authorization-server/tenant/a",
			[]string{"/tenant/a/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/tenant/a"}},
		{"appended", "/tenant/a/.well-known/oauth-authorization-server",
			[]string{"/tenant/a/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/tenant/a", "/tenant/a/.well-known/oauth-authorization-server"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(base string, w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != tt.served {
					http.NotFound(w, r)
					return
				}
				// An empty code_challenge_methods_supported is present.
				writeJSON(w, map[string]any{"issuer": base + "/tenant/a", "code_challenge_methods_supported": []string{}})
			})
			m, err := Fetch(ctxT(t), nil, s.URL+"/tenant/a")
			if err != nil {
				t.Fatal(err)
			}
			if m.Source != s.URL+tt.served || !m.HasCodeChallengeMethods || len(m.CodeChallengeMethodsSupported) != 0 {
				t.Errorf("Fetch = %+v", m)
			}
			if got := s.requested(); !slices.Equal(got, tt.want) {
				t.Errorf("requested %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFetchSourceAfterRedirect(t *testing.T) {
	s := newServer(t, func(base string, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/meta.json" {
			writeJSON(w, map[string]any{"issuer": base})
			return
		}
		http.Redirect(w, r, "/meta.json", http.StatusFound)
	})
	m, err := Fetch(ctxT(t), nil, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	if m.Source != s.URL+"/meta.json" || m.HasCodeChallengeMethods {
		t.Errorf("Source = %q, HasCodeChallengeMethods = %v", m.Source, m.HasCodeChallengeMethods)
	}
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		issuer string
		want   []string
		err    string
	}{
		{"https://as.example.com", []string{
			"https://as.example.com/.well-known/openid-configuration",
			"https://as.example.com/.well-known/oauth-authorization-server"}, ""},
		{"https://as.example.com/", []string{
			"https://as.example.com/.well-known/openid-configuration",
			"https://as.example.com/.well-known/oauth-authorization-server"}, ""},
		{"https://as.example.com:8443/realms/x/", []string{
			"https://as.example.com:8443/realms/x/.well-known/openid-configuration",
			"https://as.example.com:8443/.well-known/oauth-authorization-server/realms/x",
			"https://as.example.com:8443/realms/x/.well-known/oauth-authorization-server"}, ""},
		{"https://as.example.com/?a=1", nil, "must not have a query or fragment"},
		{"as.example.com", nil, "must be an absolute http or https URL"},
	}
	for _, tt := range tests {
		got, err := candidates(tt.issuer)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("candidates(%q) error = %v, want %q", tt.issuer, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("candidates(%q) = %q, %v; want %q", tt.issuer, got, err, tt.want)
		}
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler func(base string, w http.ResponseWriter, r *http.Request)
		want    []string // fragments of the error, with {base} for the server URL
	}{
		{"not found", func(_ string, w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, []string{
			"discover metadata for {base}/x: GET {base}/x/.well-known/openid-configuration: 404 Not Found; " +
				"GET {base}/.well-known/oauth-authorization-server/x: 404 Not Found; " +
				"GET {base}/x/.well-known/oauth-authorization-server: 404 Not Found"}},
		{"issuer mismatch", func(_ string, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"issuer": "https://other.example"})
		}, []string{`metadata issuer "https://other.example" does not match the configured issuer "{base}/x"`}},
		{"issuer with trailing slash", func(base string, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"issuer": base + "/x/"})
		}, []string{`metadata issuer "{base}/x/" does not match`}},
		{"html", func(_ string, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>login</html>"))
		}, []string{`GET {base}/x/.well-known/openid-configuration: content type "text/html", want application/json`}},
		{"invalid json", func(_ string, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"issuer": `))
		}, []string{"invalid JSON"}},
		{"not an object", func(_ string, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`["issuer"]`))
		}, []string{"invalid JSON"}},
		{"wrong field type", func(base string, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"issuer": base + "/x", "code_challenge_methods_supported": "S256"})
		}, []string{"metadata field code_challenge_methods_supported must be an array of strings"}},
		{"too large", func(base string, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"issuer": base + "/x", "padding": strings.Repeat("a", maxBody)})
		}, []string{"body is larger than 1048576 bytes"}},
		{"server error", func(_ string, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		}, []string{"GET {base}/x/.well-known/openid-configuration: 500 Internal Server Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.handler)
			m, err := Fetch(ctxT(t), nil, s.URL+"/x")
			if err == nil {
				t.Fatalf("Fetch = %+v, want an error", m)
			}
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "{base}", s.URL); !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if n := len(s.requested()); n != 3 {
				t.Errorf("%d requests, want 3 (every candidate)", n)
			}
		})
	}
}

func TestFetchUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close() // nothing listens on this port any more
	_, err = Fetch(ctxT(t), nil, base+"/x")
	if err == nil {
		t.Fatal("Fetch succeeded against a closed port")
	}
	for _, u := range []string{"/x/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/x", "/x/.well-known/oauth-authorization-server"} {
		if !strings.Contains(err.Error(), "GET "+base+u+": dial tcp") {
			t.Errorf("error %q does not name %s with its dial error", err, u)
		}
	}
	if c := strings.Count(err.Error(), "connection refused"); c != 3 {
		t.Errorf("error %q: %d connection refused, want 3", err, c)
	}
}

func TestFetchHonoursCancellation(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s := newServer(t, func(_ string, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := context.WithCancel(ctxT(t))
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := Fetch(ctx, nil, s.URL)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch error = %v, want context.Canceled", err)
	}
	if want := "discover metadata for " + s.URL + ": GET " + s.URL + "/.well-known/openid-configuration: context canceled"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Fetch took %v after cancellation", d)
	}
	if n := len(s.requested()); n != 1 {
		t.Errorf("%d requests, want 1 (no further candidates after cancellation)", n)
	}
}
