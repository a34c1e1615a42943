package hydra

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// Distinctive secrets of these tests; no error message or log line may
// contain them.
const (
	testSecret   = "test-only-confidential-secret-9d2e"
	testPassword = "test-only-password-Xylophone-51"
)

// buildTimeout bounds a cold build plus a start in these tests.
const buildTimeout = DefaultBuildTimeout + time.Minute

// startForTest starts Hydra and its login app, stopped when the test ends,
// and checks that their output never shows a secret.
func startForTest(t *testing.T, opts Options) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	log := &providertest.SyncBuffer{}
	opts.Log = log
	if opts.ConfidentialSecret == "" {
		opts.ConfidentialSecret = testSecret
	}
	if opts.Password == "" {
		opts.Password = testPassword
	}
	began := time.Now()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("hydra %s (pid %d) ready in %v", s.Issuer(), s.PID(), time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() {
		began := time.Now()
		if err := s.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		t.Logf("hydra stopped in %v", time.Since(began).Round(time.Millisecond))
		for _, secret := range []string{testSecret, testPassword} {
			if strings.Contains(log.String(), secret) {
				t.Errorf("hydra or login app output contains a secret")
			}
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
		{"no secret", Options{Password: testPassword}, "ConfidentialSecret is required"},
		{"no password", Options{ConfidentialSecret: testSecret}, "Password is required"},
		{"negative port", Options{ConfidentialSecret: testSecret, Password: testPassword, Port: -1}, "out of range"},
		{"port too large", Options{ConfidentialSecret: testSecret, Password: testPassword, Port: 70000}, "out of range"},
	}
	for _, tt := range tests {
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

func TestProviderServesStrictPKCE(t *testing.T) {
	s := startForTest(t, Options{})
	if !strings.HasPrefix(s.Issuer(), "http://127.0.0.1:") || !strings.HasSuffix(s.Issuer(), "/") {
		t.Fatalf("Issuer() = %q, want a 127.0.0.1 URL with a trailing slash", s.Issuer())
	}

	meta := discovery(t, s)
	if got, want := meta.Issuer, s.Issuer(); got != want {
		t.Errorf("discovery issuer = %q, want %q", got, want)
	}
	for name, ep := range map[string]string{"token": meta.Token, "authorization": meta.Authorization, "userinfo": meta.Userinfo} {
		if !strings.HasPrefix(ep, s.Issuer()) {
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
		{
			name: "confidential client, wrong secret",
			form: url.Values{"grant_type": {"authorization_code"}, "client_id": {ConfidentialClientID},
				"client_secret": {"wrong"}, "code": {"unknown-code"}, "redirect_uri": {RedirectURI}},
			status: http.StatusUnauthorized, error: "invalid_client",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := postToken(t, meta.Token, tt.form, tt.basic)
			if tok.status != tt.status || tok.Error != tt.error {
				t.Errorf("token endpoint answered %d error=%q, want %d error=%q", tok.status, tok.Error, tt.status, tt.error)
			}
		})
	}

	pid := s.PID()
	ports := []int{s.Port(), s.AdminPort(), loginPort(t, s)}
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	providertest.AssertGone(t, pid, ports...)
}

// tokenAnswer is a token endpoint answer: tokens or an RFC 6749 §5.2 error.
type tokenAnswer struct {
	status      int
	AccessToken string `json:"access_token"`
	Error       string `json:"error"`
}

// userinfo calls the userinfo endpoint with token and returns the status.
func userinfo(t *testing.T, endpoint, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, endpoint, nil)
	if err != nil {
		t.Fatalf("build userinfo request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("userinfo request: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// loginPort is the login app's port.
func loginPort(t *testing.T, s *Server) int {
	t.Helper()
	u, err := url.Parse(s.LoginURL())
	if err != nil {
		t.Fatalf("parse login URL: %v", err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("login URL port: %v", err)
	}
	return p
}

// testVerifier is a well-formed 43-character code_verifier.
const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// s256 is the S256 code_challenge of verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// browser is a cookie-keeping HTTP client that walks Hydra's redirects the
// way a browser would, stopping at the redirect URI or at a page.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, client: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// stop is where a walk ended: at the redirect URI (callback set) or at a page.
type stop struct {
	callback url.Values // the redirect URI's query
	status   int        // the page's status
	page     string     // the page's HTML
	url      string     // the page's URL
	visited  []string   // the paths passed through, e.g. /login, /consent
}

// walk sends the request and follows redirects, at most 20.
func (b *browser) walk(method, target string, form url.Values) stop {
	b.t.Helper()
	var st stop
	for range 20 {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, target, body)
		if err != nil {
			b.t.Fatalf("build request: %v", err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := b.client.Do(req)
		if err != nil {
			b.t.Fatalf("%s %s: %v", method, req.URL.Path, err)
		}
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		st.visited = append(st.visited, req.URL.Path)
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode > 399 || loc == "" {
			st.status, st.page, st.url = resp.StatusCode, string(data), target
			return st
		}
		next, err := req.URL.Parse(loc)
		if err != nil {
			b.t.Fatalf("redirect from %s: %v", req.URL.Path, err)
		}
		if strings.HasPrefix(next.String(), RedirectURI) {
			st.callback = next.Query()
			return st
		}
		method, target, form = http.MethodGet, next.String(), nil
	}
	b.t.Fatalf("more than 20 redirects from %s", target)
	return st
}

// pathOf is a URL without its query (which holds long challenges).
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.RawQuery = ""
	return u.String()
}

// hidden reads a hidden input's value from a page.
func hidden(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no %s field:\n%s", name, page)
	}
	return html.UnescapeString(m[1])
}

// authURL is an authorization request for client with the given PKCE
// parameters (omitted when empty).
func authURL(meta providertest.Metadata, client, challenge, method, state string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {RedirectURI},
		"scope": {Scope}, "state": {state}}
	if challenge != "" {
		q.Set("code_challenge", challenge)
	}
	if method != "" {
		q.Set("code_challenge_method", method)
	}
	return meta.Authorization + "?" + q.Encode()
}

// codeForm is a token request redeeming code as client, with the
// code_verifier given (none when verifier is empty, the empty string when
// it is [""]).
func codeForm(client, code string, verifier ...string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {RedirectURI}}
	if client != ConfidentialClientID {
		f.Set("client_id", client)
	}
	if len(verifier) > 0 {
		f.Set("code_verifier", verifier[0])
	}
	return f
}

func TestConcurrentStartsGetDifferentPorts(t *testing.T) {
	providertest.ConcurrentStarts(t, buildTimeout,
		func(ctx context.Context) (*Server, error) {
			return Start(ctx, Options{ConfidentialSecret: testSecret, Password: testPassword})
		},
		func(s *Server) []int { return []int{s.Port(), s.AdminPort(), loginPort(t, s)} },
		func(t *testing.T, s *Server) string { return discovery(t, s).Issuer })
}

func TestStartOnBusyPortFailsWithOutput(t *testing.T) {
	providertest.BusyPort(t, buildTimeout, func(ctx context.Context, port int) (*Server, error) {
		return Start(ctx, Options{Port: port, ConfidentialSecret: testSecret, Password: testPassword})
	}, "address already in use", testSecret, testPassword)
}

// discovery is Hydra's discovery document.
func discovery(t *testing.T, s *Server) providertest.Metadata {
	t.Helper()
	return providertest.Discovery(t, s.DiscoveryURL())
}

// postToken sends a token request (as the confidential client with Basic
// authentication when basic) and decodes the JSON answer.
func postToken(t *testing.T, endpoint string, form url.Values, basic bool) tokenAnswer {
	t.Helper()
	secret := ""
	if basic {
		secret = testSecret
	}
	var a tokenAnswer
	a.status = providertest.PostToken(t, endpoint, form, ConfidentialClientID, secret, &a)
	return a
}
