package suites

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

const (
	testToken  = "AT-resource-q8Lm2"
	testSecret = "conf-secret-q8Lm3"
)

// resourceServer answers userinfo and introspection with the given status
// and body, and keeps what it received.
type resourceServer struct {
	status int
	body   string

	mu       sync.Mutex
	auth     string
	form     url.Values
	requests int
}

func (s *resourceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	s.auth, s.form = r.Header.Get("Authorization"), r.PostForm
	s.requests++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(s.status)
	_, _ = io.WriteString(w, s.body)
}

// captureEvidence makes a fresh recorder the active one for the test and
// returns a function reading the evidence recorded so far.
func captureEvidence(t *testing.T) func() string {
	rec := newRecorder()
	activeMu.Lock()
	saved := active
	active = rec
	activeMu.Unlock()
	t.Cleanup(func() {
		activeMu.Lock()
		active = saved
		activeMu.Unlock()
	})
	return func() string {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		var b strings.Builder
		for _, ev := range rec.pending {
			b.WriteString(ev.Request + "\n" + ev.Response + "\n")
		}
		return b.String()
	}
}

func TestTokenChecks(t *testing.T) {
	tests := []struct {
		name   string
		path   string // "userinfo" or "introspection"
		status int
		body   string
		want   tokenState
	}{
		{"userinfo 200", "userinfo", 200, `{"sub":"u"}`, tokenValid},
		{"userinfo 401", "userinfo", 401, `{"error":"invalid_token"}`, tokenInvalid},
		{"userinfo 403 does not tell", "userinfo", 403, `{"error":"insufficient_scope"}`, tokenUnknown},
		{"userinfo 500 does not tell", "userinfo", 500, `oops`, tokenUnknown},
		{"introspection active", "introspection", 200, `{"active":true,"sub":"u"}`, tokenValid},
		{"introspection inactive", "introspection", 200, `{"active":false}`, tokenInvalid},
		{"introspection without active", "introspection", 200, `{"sub":"u"}`, tokenUnknown},
		{"introspection not JSON", "introspection", 200, `active`, tokenUnknown},
		{"introspection 401", "introspection", 401, `{"error":"invalid_client"}`, tokenUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &resourceServer{status: tt.status, body: tt.body}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			evidenceText := captureEvidence(t)
			tg := &Target{
				Profile: &profiles.Profile{
					Clients: profiles.Clients{
						Public:       &profiles.Client{ID: "pub", AuthMethod: profiles.AuthNone},
						Confidential: &profiles.Client{ID: "conf", Secret: testSecret, AuthMethod: profiles.AuthClientSecretBasic},
					},
					Limits: profiles.Limits{Timeout: 5 * time.Second},
				},
				Endpoints: discovery.Endpoints{Userinfo: hs.URL + "/userinfo", Introspection: hs.URL + "/introspect"},
				HTTP:      hs.Client(),
				Redactor:  redact.New(),
			}
			checks := tg.tokenChecks()
			if len(checks) != 2 || checks[0].name != "userinfo" || checks[1].name != "introspection" {
				t.Fatalf("tokenChecks() = %v, want userinfo then introspection", checks)
			}
			check := checks[0]
			if tt.path == "introspection" {
				check = checks[1]
			}
			if got := check.check(context.Background(), "probe", testToken); got != tt.want {
				t.Errorf("state = %d, want %d", got, tt.want)
			}

			srv.mu.Lock()
			defer srv.mu.Unlock()
			if srv.requests != 1 {
				t.Fatalf("server saw %d requests, want 1", srv.requests)
			}
			if tt.path == "userinfo" && srv.auth != "Bearer "+testToken {
				t.Errorf("userinfo Authorization = %q, want the Bearer token", srv.auth)
			}
			if tt.path == "introspection" {
				if srv.form.Get("token") != testToken || srv.auth != "Basic "+tokenclient.BasicCredentials("conf", testSecret) {
					t.Errorf("introspection got token %q and Authorization %q", srv.form.Get("token"), srv.auth)
				}
			}
			ev := evidenceText()
			if ev == "" {
				t.Error("no evidence recorded")
			}
			for _, secret := range []string{testToken, testSecret, tokenclient.BasicCredentials("conf", testSecret)} {
				if strings.Contains(ev, secret) {
					t.Errorf("evidence contains a secret:\n%s", ev)
				}
			}
		})
	}
}

func TestTokenChecksOffered(t *testing.T) {
	tests := []struct {
		name string
		eps  discovery.Endpoints
		want []string
	}{
		{"none", discovery.Endpoints{}, nil},
		{"userinfo only", discovery.Endpoints{Userinfo: "http://127.0.0.1:1/u"}, []string{"userinfo"}},
		{"introspection only", discovery.Endpoints{Introspection: "http://127.0.0.1:1/i"}, []string{"introspection"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range (&Target{Endpoints: tt.eps}).tokenChecks() {
				got = append(got, c.name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("tokenChecks() = %v, want %v", got, tt.want)
			}
		})
	}
}
