package auth0

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

const (
	testPassword = "auth0-emulator-test-pw-3c"
	testSecret   = "auth0-emulator-conf-secret-91"
)

// start runs a tenant for one test and returns it with a client that
// trusts its CA, keeps cookies and does not follow redirects.
func start(t *testing.T, opts Options) (*Server, *http.Client) {
	t.Helper()
	opts.Password, opts.ConfidentialSecret = testPassword, testSecret
	s := StartForTest(t, opts)
	pemData, err := os.ReadFile(s.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemData) {
		t.Fatal("the CA file holds no certificate")
	}
	jar, _ := cookiejar.New(nil)
	return s, &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// authorize sends an authorization request and returns the response.
func authorize(t *testing.T, s *Server, c *http.Client, client string, extra url.Values) *http.Response {
	t.Helper()
	q := url.Values{"client_id": {client}, "redirect_uri": {RedirectURI}, "response_type": {"code"}, "scope": {"openid"}, "state": {"st-1"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, err := c.Get(s.Origin() + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// redirectParams reads the client redirect of resp.
func redirectParams(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), RedirectURI+"?") {
		t.Fatalf("HTTP %d to %q, want a redirect to the client", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query()
}

var configRE = regexp.MustCompile(`window\.atob\('([^']+)'\)`)

// loginState opens the login page the tenant redirected to and returns the
// transaction state its Lock configuration carries.
func loginState(t *testing.T, s *Server, c *http.Client, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login?") {
		t.Fatalf("HTTP %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	page, err := c.Get(s.Origin() + resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	defer page.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(page.Body)
	m := configRE.FindSubmatch(buf.Bytes())
	if m == nil {
		t.Fatalf("no Lock configuration on the login page:\n%s", buf.String())
	}
	raw, _ := base64.StdEncoding.DecodeString(string(m[1]))
	var config struct {
		AuthDomain string            `json:"auth0Domain"`
		Params     map[string]string `json:"internalOptions"`
	}
	if err := json.Unmarshal(raw, &config); err != nil || config.AuthDomain != s.Domain() || config.Params["state"] == "" {
		t.Fatalf("Lock configuration %s: %v", raw, err)
	}
	return config.Params["state"]
}

// usernamePassword posts Lock's login request.
func usernamePassword(t *testing.T, s *Server, c *http.Client, client, state, password string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"client_id": client, "connection": Connection, "username": Username,
		"password": password, "state": state, "tenant": Tenant, "redirect_uri": RedirectURI, "response_type": "code"})
	resp, err := c.Post(s.Origin()+"/usernamepassword/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String()
}

var hiddenInput = regexp.MustCompile(`name="(wa|wresult|wctx)" value="([^"]*)"`)

// logIn walks Lock's login over HTTP (as auth0-js does) and returns the
// response to the hidden form's post.
func logIn(t *testing.T, s *Server, c *http.Client, client string, resp *http.Response) *http.Response {
	t.Helper()
	state := loginState(t, s, c, resp)
	status, form := usernamePassword(t, s, c, client, state, testPassword)
	if status != http.StatusOK || !strings.HasPrefix(form, `<form method="post" name="hiddenform" action="`+s.Origin()+`/login/callback">`) {
		t.Fatalf("login: HTTP %d %s", status, form)
	}
	fields := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(form, -1) {
		fields.Set(m[1], strings.ReplaceAll(m[2], "&#34;", `"`))
	}
	cb, err := c.PostForm(s.Origin()+"/login/callback", fields)
	if err != nil {
		t.Fatal(err)
	}
	cb.Body.Close()
	if cb.StatusCode != http.StatusFound || cb.Header.Get("Location") != "/authorize/resume?state="+state {
		t.Fatalf("callback: HTTP %d to %q", cb.StatusCode, cb.Header.Get("Location"))
	}
	next, err := c.Get(s.Origin() + cb.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	next.Body.Close()
	return next
}

// redeem posts a token request for the public client.
func redeem(t *testing.T, s *Server, c *http.Client, code, verifier string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {RedirectURI}, "client_id": {PublicClientID}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	resp, err := c.PostForm(s.Origin()+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// TestPKCEPolicyAtAuthorize: public clients need a challenge, a method
// needs a challenge, unknown methods and malformed challenges are
// refused; the confidential client may go without PKCE; S256Only refuses
// plain.
func TestPKCEPolicyAtAuthorize(t *testing.T) {
	s, c := start(t, Options{})
	pair, _ := pkce.NewPair(43)
	for _, tt := range []struct {
		name   string
		client string
		q      url.Values
	}{
		{"no challenge", PublicClientID, nil},
		{"method without challenge", ConfidentialClientID, url.Values{"code_challenge_method": {"S256"}}},
		{"unknown method", PublicClientID, url.Values{"code_challenge": {pair.Challenge}, "code_challenge_method": {"S512"}}},
		{"short challenge", PublicClientID, url.Values{"code_challenge": {"abc"}, "code_challenge_method": {"S256"}}},
		{"repeated challenge", PublicClientID, url.Values{"code_challenge": {pair.Challenge, pair.Challenge}, "code_challenge_method": {"S256"}}},
	} {
		q := redirectParams(t, authorize(t, s, c, tt.client, tt.q))
		if q.Get("error") != "invalid_request" || q.Get("state") != "st-1" || q.Get("code") != "" {
			t.Errorf("%s: redirect %v, want invalid_request with the state", tt.name, q)
		}
	}
	if resp := authorize(t, s, c, ConfidentialClientID, nil); !strings.HasPrefix(resp.Header.Get("Location"), "/login?") {
		t.Errorf("confidential client without PKCE: HTTP %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	strict, sc := start(t, Options{S256Only: true})
	q := redirectParams(t, authorize(t, strict, sc, PublicClientID, url.Values{"code_challenge": {pair.Verifier}, "code_challenge_method": {"plain"}}))
	if q.Get("error") != "invalid_request" {
		t.Errorf("plain under S256Only: %v", q)
	}
}

// TestLoginConsentToken walks the tenant as Lock and a client do: a wrong
// password gets Auth0's ValidationError; the right one the hidden form,
// whose post starts the session; consent; the code; /oauth/token refuses a
// wrong verifier with 403 and burns the code, redeems a fresh code with
// the right one (with an RS256 ID token carrying the nonce), and a replay
// revokes the access token.
func TestLoginConsentToken(t *testing.T) {
	s, c := start(t, Options{Consent: true})
	pair, _ := pkce.NewPair(43)
	challenge := url.Values{"code_challenge": {pair.Challenge}, "code_challenge_method": {"S256"}, "nonce": {"n-1"}}
	resp := authorize(t, s, c, PublicClientID, challenge)
	state := loginState(t, s, c, resp)
	status, body := usernamePassword(t, s, c, PublicClientID, state, "wrong-password")
	if status != http.StatusUnauthorized || !strings.Contains(body, `"code":"invalid_user_password"`) || !strings.Contains(body, "Wrong email or password.") {
		t.Errorf("wrong password: HTTP %d %s", status, body)
	}
	next := logIn(t, s, c, PublicClientID, resp)
	if loc := next.Header.Get("Location"); !strings.HasPrefix(loc, "/u/consent?state=") {
		t.Fatalf("after the login: HTTP %d to %q, want the consent page", next.StatusCode, loc)
	}
	consentState := strings.TrimPrefix(next.Header.Get("Location"), "/u/consent?state=")
	accepted, err := c.PostForm(s.Origin()+next.Header.Get("Location"), url.Values{"state": {consentState}, "action": {"accept"}})
	if err != nil {
		t.Fatal(err)
	}
	accepted.Body.Close()
	code := redirectParams(t, accepted).Get("code")
	wrong := pair.Verifier[:42] + "x"
	if wrong == pair.Verifier {
		wrong = pair.Verifier[:42] + "y"
	}
	if status, out := redeem(t, s, c, code, wrong); status != http.StatusForbidden || out["error"] != "invalid_grant" {
		t.Errorf("wrong verifier: HTTP %d %v", status, out)
	}
	if status, out := redeem(t, s, c, code, pair.Verifier); status != http.StatusForbidden || out["error"] != "invalid_grant" {
		t.Errorf("right verifier after a failed one: HTTP %d %v, want the code burned", status, out)
	}
	// Consent is remembered: the next authorization ends in a code at once.
	code = redirectParams(t, authorize(t, s, c, PublicClientID, challenge)).Get("code")
	if status, out := redeem(t, s, c, code, ""); status != http.StatusBadRequest || out["error"] != "invalid_request" {
		t.Errorf("no verifier: HTTP %d %v", status, out)
	}
	code = redirectParams(t, authorize(t, s, c, PublicClientID, challenge)).Get("code")
	status, out := redeem(t, s, c, code, pair.Verifier)
	if status != http.StatusOK || out["access_token"] == nil {
		t.Fatalf("right verifier: HTTP %d %v", status, out)
	}
	idt, _ := out["id_token"].(string)
	parts := strings.Split(idt, ".")
	claims, _ := base64.RawURLEncoding.DecodeString(parts[min(1, len(parts)-1)])
	if len(parts) != 3 || !strings.Contains(string(claims), `"nonce":"n-1"`) || !strings.Contains(string(claims), `"iss":"`+s.Issuer()+`"`) {
		t.Errorf("ID token claims %s", claims)
	}
	if status, _ := redeem(t, s, c, code, pair.Verifier); status != http.StatusForbidden {
		t.Errorf("replay: HTTP %d, want 403", status)
	}
	req, _ := http.NewRequest(http.MethodGet, s.Origin()+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+out["access_token"].(string))
	ui, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ui.Body.Close()
	if ui.StatusCode != http.StatusUnauthorized {
		t.Errorf("userinfo after the replay: HTTP %d, want 401 (token revoked)", ui.StatusCode)
	}
}

// TestLockResources: the client configuration script calls
// Auth0.setClient with the client's database connection, the dictionary
// and the bundle are JavaScript, and an unknown client has no script.
func TestLockResources(t *testing.T) {
	s, c := start(t, Options{})
	for path, want := range map[string]string{
		"/client/" + PublicClientID + ".js?t123": `Auth0.setClient({`,
		"/js/lock/" + LockVersion + "/en.js":     "registerLanguageDictionary",
		"/lock/lock.min.js":                      "Auth0Lock",
	} {
		resp, err := c.Get(s.Origin() + path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || !strings.Contains(buf.String(), want) {
			t.Errorf("%s: HTTP %d %s, want JavaScript with %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), want)
		}
	}
	if resp, _ := c.Get(s.Origin() + "/client/unknown.js"); resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Error("an unknown client's configuration is served")
	}
}
