package refidp

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// TestAuthorizeErrors: requests the clean server must refuse, either with an
// error page (client or redirect URI not trusted) or with an error redirect
// that echoes state and carries iss.
func TestAuthorizeErrors(t *testing.T) {
	h := startHarness(t, nil)
	c := pkce.S256(newVerifier(t, 43))
	base := func(clientID, redirect string, extra ...[2]string) [][2]string {
		return append([][2]string{{"response_type", "code"}, {"client_id", clientID},
			{"redirect_uri", redirect}, {"state", "st-123"}}, extra...)
	}
	cases := []struct {
		name      string
		params    [][2]string
		wantPage  bool
		wantError string
	}{
		{"unknown client", base("nobody", testRedirect, challenge(c), method("S256")), true, ""},
		{"unregistered redirect", base(PublicClientID, "http://127.0.0.1:8765/evil", challenge(c), method("S256")), true, ""},
		{"redirect with extra path", base(PublicClientID, testRedirect+"/x", challenge(c), method("S256")), true, ""},
		{"missing redirect", [][2]string{{"response_type", "code"}, {"client_id", PublicClientID}, challenge(c), method("S256")}, true, ""},
		{"missing challenge, bad redirect", base(PublicClientID, "http://evil.example/cb"), true, ""},
		{"repeated client_id", base(PublicClientID, testRedirect, [2]string{"client_id", OtherClientID}, challenge(c), method("S256")), true, ""},
		{"missing challenge", base(PublicClientID, testRedirect), false, "invalid_request"},
		{"empty challenge", base(PublicClientID, testRedirect, challenge(""), method("S256")), false, "invalid_request"},
		{"method omitted (plain)", base(PublicClientID, testRedirect, challenge(c)), false, "invalid_request"},
		{"plain unsupported", base(PublicClientID, testRedirect, challenge(newVerifier(t, 43)), method("plain")), false, "invalid_request"},
		{"s256", base(PublicClientID, testRedirect, challenge(c), method("s256")), false, "invalid_request"},
		{"S512", base(PublicClientID, testRedirect, challenge(c), method("S512")), false, "invalid_request"},
		{"S256 with space", base(PublicClientID, testRedirect, challenge(c), method("S256 ")), false, "invalid_request"},
		{"42-character challenge", base(PublicClientID, testRedirect, challenge(c[:42]), method("S256")), false, "invalid_request"},
		{"padded challenge", base(PublicClientID, testRedirect, challenge(c+"="), method("S256")), false, "invalid_request"},
		{"two challenges", base(PublicClientID, testRedirect, challenge(c), challenge(c), method("S256")), false, "invalid_request"},
		{"two states", base(PublicClientID, testRedirect, challenge(c), method("S256"), [2]string{"state", "x"}), false, "invalid_request"},
		{"response_type token", [][2]string{{"response_type", "token"}, {"client_id", PublicClientID},
			{"redirect_uri", testRedirect}, {"state", "st-123"}, challenge(c), method("S256")}, false, "unsupported_response_type"},
		{"response_type missing", [][2]string{{"client_id", PublicClientID},
			{"redirect_uri", testRedirect}, {"state", "st-123"}, challenge(c), method("S256")}, false, "invalid_request"},
		{"confidential: method without challenge", base(ConfidentialClientID, testRedirect, method("S256")), false, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.authorize(h.client, tc.params, "approve")
			if r.Code != "" {
				t.Fatalf("code issued")
			}
			if tc.wantPage {
				if !r.ErrorPage || r.Status != http.StatusBadRequest {
					t.Fatalf("got page=%t status=%d error=%q, want a 400 error page", r.ErrorPage, r.Status, r.Error)
				}
				return
			}
			if r.ErrorPage {
				t.Fatalf("error page (%d), want a redirect with error=%s", r.Status, tc.wantError)
			}
			if r.Error != tc.wantError || r.State != "st-123" || r.Iss != h.srv.Issuer() || r.ErrorDescription == "" {
				t.Errorf("error=%q state=%q iss=%q description=%q, want %s, st-123, %s and a description",
					r.Error, r.State, r.Iss, r.ErrorDescription, tc.wantError, h.srv.Issuer())
			}
		})
	}
}

var codeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// TestAuthorizeIssuesCodes: the redirect carries a 32-byte base64url code,
// the state and iss; a confidential client may omit PKCE.
func TestAuthorizeIssuesCodes(t *testing.T) {
	h := startHarness(t, nil)
	cases := []struct {
		name  string
		c     cred
		extra [][2]string
	}{
		{"public S256", pub, s256Params(newVerifier(t, 43))},
		{"other S256", other, s256Params(newVerifier(t, 43))},
		{"confidential S256", confBasic, s256Params(newVerifier(t, 43))},
		{"confidential without PKCE", confBasic, nil},
	}
	seen := make(map[string]bool)
	for _, tc := range cases {
		params := authParams(tc.c, tc.extra...)
		r := h.authorize(h.client, params, "approve")
		if !codeRE.MatchString(r.Code) {
			t.Fatalf("%s: code %d characters, error=%q", tc.name, len(r.Code), r.Error)
		}
		if seen[r.Code] {
			t.Errorf("%s: code repeated", tc.name)
		}
		seen[r.Code] = true
		state, _ := form.Params(params).Get("state")
		if r.State != state || r.Iss != h.srv.Issuer() {
			t.Errorf("%s: state=%q iss=%q, want %q and %q", tc.name, r.State, r.Iss, state, h.srv.Issuer())
		}
	}
	if st := h.srv.Stats(); st.Logins != 1 || st.CodesIssued != len(cases) {
		t.Errorf("stats %+v, want 1 login and %d codes", st, len(cases))
	}
}

// TestLoginForm: the form has the documented selectors; a wrong password
// shows it again with an error and no session.
func TestLoginForm(t *testing.T) {
	h := startHarness(t, nil)
	params := authParams(pub, s256Params(newVerifier(t, 43))...)
	resp, body := h.get(h.client, (&authz.Request{Endpoint: h.srv.Issuer() + "/authorize", Params: params}).URL())
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/login" {
		t.Fatalf("authorize without session ended at %s with %d, want the login page", resp.Request.URL.Path, resp.StatusCode)
	}
	for _, want := range []string{`<input id="username" name="username"`, `<input id="password" name="password" type="password"`, `<button id="login" type="submit"`} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	resp, body = h.postForm(h.client, h.srv.Issuer()+"/login", url.Values{
		"return": {hidden(body, "return")}, "username": {testUser}, "password": {"wrong"},
	})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="username"`) || !strings.Contains(body, "Wrong username or password") {
		t.Fatalf("wrong password: status %d, want the form again with an error", resp.StatusCode)
	}
	if len(resp.Cookies()) != 0 || h.srv.Stats().Logins != 0 {
		t.Errorf("wrong password set a cookie or counted a login")
	}
	resp, _ = h.postForm(h.client, h.srv.Issuer()+"/login", url.Values{
		"return": {"https://evil.example/"}, "username": {testUser}, "password": {testPassword},
	})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("login with a foreign return URL: status %d, want 400", resp.StatusCode)
	}
	// The real login sets an HttpOnly session cookie and ends at the client.
	r := h.authorize(h.client, params, "approve")
	if r.Code == "" {
		t.Fatalf("no code after login: %q", r.Error)
	}
	u, _ := url.Parse(h.srv.Issuer())
	cookies := h.client.Jar.Cookies(u)
	if len(cookies) != 1 || cookies[0].Name != sessionCookie {
		t.Errorf("cookies after login: %v", cookies)
	}
}

// TestConsent: the consent page appears once per client per session; deny
// sends access_denied.
func TestConsent(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.Consent = true })
	params := func() [][2]string { return authParams(pub, s256Params(newVerifier(t, 43))...) }

	denied := h.authorize(h.client, params(), "deny")
	if denied.Error != "access_denied" || denied.Code != "" || denied.Iss != h.srv.Issuer() {
		t.Fatalf("deny: error=%q code issued=%t iss=%q", denied.Error, denied.Code != "", denied.Iss)
	}
	if r := h.authorize(h.client, params(), "approve"); r.Code == "" {
		t.Fatalf("approve: no code (%q)", r.Error)
	}
	// Remembered: no consent page now (an empty action would be refused).
	if r := h.authorize(h.client, params(), ""); r.Code == "" {
		t.Fatalf("second authorization showed consent again: page=%t %q", r.ErrorPage, r.Body)
	}
	// Another client asks again.
	otherParams := authParams(other, s256Params(newVerifier(t, 43))...)
	resp, body := h.get(h.client, (&authz.Request{Endpoint: h.srv.Issuer() + "/authorize", Params: otherParams}).URL())
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="approve"`) || !strings.Contains(body, `id="deny"`) {
		t.Fatalf("other client: status %d, want the consent page", resp.StatusCode)
	}
	// A forged consent without the CSRF token is refused.
	resp, _ = h.postForm(h.client, h.srv.Issuer()+"/consent", url.Values{
		"request": {hidden(body, "request")}, "csrf": {"forged"}, "action": {"approve"},
	})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("consent with a wrong CSRF token: status %d, want 400", resp.StatusCode)
	}
}

// TestCheckAfterLogin: by default PKCE errors come before the login; with
// CheckAfterLogin only after login and consent.
func TestCheckAfterLogin(t *testing.T) {
	cases := []struct {
		name       string
		after      bool
		wantLogins int
	}{
		{"before login", false, 0},
		{"after login", true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, func(c *Config) { c.CheckAfterLogin, c.Consent = tc.after, true })
			r := h.mint(pub, method("S512"), challenge(pkce.S256(newVerifier(t, 43))))
			if r.Error != "invalid_request" || r.Code != "" {
				t.Fatalf("error=%q code issued=%t, want invalid_request", r.Error, r.Code != "")
			}
			if got := h.srv.Stats().Logins; got != tc.wantLogins {
				t.Errorf("logins %d, want %d", got, tc.wantLogins)
			}
		})
	}
}

// TestPlainSupported: plain is advertised, an omitted method means plain,
// and only the exact verifier redeems.
func TestPlainSupported(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.PlainSupported = true })
	if m := h.advertised(); !contains(m, "plain") || !contains(m, "S256") {
		t.Fatalf("advertised %v", m)
	}
	v := newVerifier(t, 64)
	cases := []struct {
		name     string
		extra    [][2]string
		verifier string
		wantOK   bool
	}{
		{"plain exact", [][2]string{challenge(v), method("plain")}, v, true},
		{"omitted method is plain", [][2]string{challenge(v)}, v, true},
		{"plain case flipped", [][2]string{challenge(v), method("plain")}, flipCase(v), false},
		{"plain with the S256 preimage", [][2]string{challenge(pkce.S256(v))}, v, false},
	}
	for _, tc := range cases {
		r := h.exchange(pub, h.mustCode(pub, tc.extra...), verifierP(tc.verifier))
		if r.ok() != tc.wantOK {
			t.Errorf("%s: ok=%t (%d %s), want %t", tc.name, r.ok(), r.Status, r.Error, tc.wantOK)
		}
	}
	if r := h.mint(pub, challenge("short"), method("plain")); r.Error != "invalid_request" {
		t.Errorf("5-character plain challenge: error=%q, want invalid_request", r.Error)
	}
}
