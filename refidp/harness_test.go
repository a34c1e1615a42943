package refidp

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

const (
	testUser     = "alice-test-user"
	testPassword = "pw-correct-horse-battery"
	testSecret   = "conf-secret-9f8e7d6c"
	testRedirect = "http://127.0.0.1:8765/callback"
)

// harness is one running server with a browser-like client: a cookie jar,
// and redirects followed up to (not into) the redirect URI.
type harness struct {
	t      testing.TB
	srv    *Server
	cfg    Config
	client *http.Client
	// plainAllowed is the policy the plain-policy probe judges by.
	plainAllowed bool
	// oauth21 judges by policy.profile oauth2.1-draft16.
	oauth21 bool
	// lenient judges by policy.error_codes lenient: any refusal counts as
	// one, and only the error-response probe judges status and code.
	lenient bool
}

// startHarness starts a server with the test user and clients; mutate
// adjusts the config. The server is closed at test end.
func startHarness(t testing.TB, mutate func(*Config)) *harness {
	t.Helper()
	cfg := Config{Username: testUser, Password: testPassword, RedirectURI: testRedirect, ConfidentialSecret: testSecret}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &harness{t: t, srv: srv, cfg: cfg, client: newBrowser(t)}
}

// newBrowser is an HTTP client with its own cookie jar that stops at the
// redirect URI (which nobody serves).
func newBrowser(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("cookie jar: %v", err)
	}
	return &http.Client{
		Jar:     jar,
		Timeout: 5 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if authz.MatchesRedirect(req.URL.String(), testRedirect) {
				return http.ErrUseLastResponse
			}
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
}

// do sends a request and returns the response with its body read.
func (h *harness) do(c *http.Client, req *http.Request) (*http.Response, string) {
	h.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("read %s: %v", req.URL.Path, err)
	}
	return resp, string(body)
}

func (h *harness) get(c *http.Client, u string) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	return h.do(c, req)
}

func (h *harness) postForm(c *http.Client, u string, form url.Values) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.do(c, req)
}

var hiddenRE = regexp.MustCompile(`name="([a-z]+)" value="([^"]*)"`)

// hidden returns the value of a hidden form field of a page.
func hidden(body, name string) string {
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	return ""
}

// authorize runs an authorization request like a browser: it fills the
// login form and answers the consent page with consentAction, and returns
// the redirect to the client or the error page.
func (h *harness) authorize(c *http.Client, params [][2]string, consentAction string) *authz.Response {
	h.t.Helper()
	req := authz.Request{Endpoint: h.srv.Issuer() + "/authorize", Params: params}
	resp, body := h.get(c, req.URL())
	for step := 0; step < 4; step++ {
		loc := resp.Header.Get("Location")
		if resp.StatusCode/100 == 3 && authz.MatchesRedirect(loc, testRedirect) {
			r, err := authz.ParseRedirect(loc)
			if err != nil {
				h.t.Fatalf("parse redirect: %v", err)
			}
			return r
		}
		switch {
		case resp.StatusCode == http.StatusOK && strings.Contains(body, "document.forms[0].submit()"):
			// A form_post response: read, never posted.
			v := url.Values{}
			for _, name := range []string{"code", "state", "error", "error_description", "iss"} {
				if x := hidden(body, name); x != "" {
					v.Set(name, x)
				}
			}
			r, err := authz.ParseFormPost(testRedirect, v.Encode())
			if err != nil {
				h.t.Fatalf("parse form_post: %v", err)
			}
			return r
		case resp.StatusCode == http.StatusOK && strings.Contains(body, `id="username"`):
			resp, body = h.postForm(c, h.srv.Issuer()+"/login", url.Values{
				"return": {hidden(body, "return")}, "username": {h.cfg.Username}, "password": {h.cfg.Password},
			})
		case resp.StatusCode == http.StatusOK && strings.Contains(body, `id="approve"`):
			resp, body = h.postForm(c, h.srv.Issuer()+"/consent", url.Values{
				"request": {hidden(body, "request")}, "csrf": {hidden(body, "csrf")}, "action": {consentAction},
			})
		default:
			return &authz.Response{ErrorPage: true, Status: resp.StatusCode, Body: body, PageURL: resp.Request.URL.String()}
		}
	}
	h.t.Fatalf("authorization did not reach the redirect URI")
	return nil
}

// cred is a client and how it authenticates at the token endpoint.
type cred struct{ id, secret, method string }

var (
	pub       = cred{PublicClientID, "", "none"}
	other     = cred{OtherClientID, "", "none"}
	confBasic = cred{ConfidentialClientID, testSecret, "basic"}
	confPost  = cred{ConfidentialClientID, testSecret, "post"}
	confJWT   = cred{ConfidentialClientID, "", "jwt"}
)

// authParams is an authorization request of client c plus extra parameters.
func authParams(c cred, extra ...[2]string) [][2]string {
	state, _ := pkce.NewVerifier(20)
	return append([][2]string{
		{"response_type", "code"}, {"client_id", c.id}, {"redirect_uri", testRedirect},
		{"scope", "openid"}, {"state", state},
	}, extra...)
}

func challenge(c string) [2]string    { return [2]string{"code_challenge", c} }
func method(m string) [2]string       { return [2]string{"code_challenge_method", m} }
func verifierP(v string) [2]string    { return [2]string{"code_verifier", v} }
func redirectP(u string) [2]string    { return [2]string{"redirect_uri", u} }
func s256Params(v string) [][2]string { return [][2]string{challenge(pkce.S256(v)), method("S256")} }

// mint runs an authorization request for c with the harness's browser.
func (h *harness) mint(c cred, extra ...[2]string) *authz.Response {
	h.t.Helper()
	return h.authorize(h.client, authParams(c, extra...), "approve")
}

// mustCode is mint that requires a code.
func (h *harness) mustCode(c cred, extra ...[2]string) string {
	h.t.Helper()
	r := h.mint(c, extra...)
	if r.Code == "" {
		h.t.Fatalf("no code for %s: error=%q %q page=%t status=%d", c.id, r.Error, r.ErrorDescription, r.ErrorPage, r.Status)
	}
	return r.Code
}

// codeS256 mints a code of c bound to S256(v).
func (h *harness) codeS256(c cred, v string) string {
	h.t.Helper()
	return h.mustCode(c, s256Params(v)...)
}

// tokenResult is a token endpoint answer.
type tokenResult struct {
	Status      int
	Header      http.Header
	ContentType string
	Error       string
	AccessToken string
	JSON        map[string]any
}

func (r tokenResult) ok() bool { return r.Status == http.StatusOK && r.AccessToken != "" }

// tokenCall posts params (in order, repeats allowed) to the token endpoint
// with c's client authentication.
func (h *harness) tokenCall(c cred, params [][2]string) tokenResult {
	h.t.Helper()
	return h.call(c, h.srv.Issuer()+"/token", params)
}

// call posts params with c's client authentication to endpoint.
func (h *harness) call(c cred, endpoint string, params [][2]string) tokenResult {
	h.t.Helper()
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
	}
	for _, p := range params {
		add(p[0], p[1])
	}
	switch c.method {
	case "none":
		add("client_id", c.id)
	case "post":
		add("client_id", c.id)
		add("client_secret", c.secret)
	case "jwt":
		a, err := clientjwt.Sign(c.id, h.srv.Issuer(), h.srv.clientKey, "", "", time.Now())
		if err != nil {
			h.t.Fatalf("sign a client assertion: %v", err)
		}
		add("client_assertion_type", clientjwt.ClientAssertionType)
		add("client_assertion", a)
	}
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(b.String()))
	if err != nil {
		h.t.Fatalf("new token request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.method == "basic" {
		req.SetBasicAuth(url.QueryEscape(c.id), url.QueryEscape(c.secret))
	}
	resp, body := h.do(apiClient, req)
	r := tokenResult{Status: resp.StatusCode, Header: resp.Header, ContentType: resp.Header.Get("Content-Type")}
	if err := json.Unmarshal([]byte(body), &r.JSON); err == nil {
		r.Error, _ = r.JSON["error"].(string)
		r.AccessToken, _ = r.JSON["access_token"].(string)
	}
	return r
}

// push sends a pushed authorization request for c (RFC 9126) and returns
// the request_uri ("" when refused) with the status and error.
func (h *harness) push(c cred, extra ...[2]string) (string, int, string) {
	h.t.Helper()
	var params [][2]string
	for _, p := range authParams(c, extra...) {
		if p[0] != "client_id" { // the client authentication adds it
			params = append(params, p)
		}
	}
	r := h.call(c, h.srv.Issuer()+"/par", params)
	uri, _ := r.JSON["request_uri"].(string)
	return uri, r.Status, r.Error
}

// mintPushed runs the authorization request with request_uri as client id
// (plus front-channel extras) with the harness's browser.
func (h *harness) mintPushed(clientID, uri string, extra ...[2]string) *authz.Response {
	h.t.Helper()
	return h.authorize(h.client, append([][2]string{{"client_id", clientID}, {"request_uri", uri}}, extra...), "approve")
}

// exchange redeems code as c with the registered redirect URI plus extra.
func (h *harness) exchange(c cred, code string, extra ...[2]string) tokenResult {
	h.t.Helper()
	return h.tokenCall(c, append([][2]string{
		{"grant_type", "authorization_code"}, {"code", code}, redirectP(testRedirect),
	}, extra...))
}

// userinfo returns the status of a userinfo call with the token.
func (h *harness) userinfo(tok string) int {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.srv.Issuer()+"/userinfo", nil)
	if err != nil {
		h.t.Fatalf("new userinfo request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, _ := h.do(apiClient, req)
	return resp.StatusCode
}

// newVerifier is pkce.NewVerifier that fails the test on error.
func newVerifier(t testing.TB, n int) string {
	t.Helper()
	v, err := pkce.NewVerifier(n)
	if err != nil {
		t.Fatalf("new verifier: %v", err)
	}
	return v
}

// apiClient calls the token, userinfo and introspection endpoints.
var apiClient = &http.Client{Timeout: 5 * time.Second}
