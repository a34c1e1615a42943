package hydra

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestLoginConsentAndPKCE walks the login and consent app like a browser
// (first with the forms, then through the remembered session) and records
// Hydra's PKCE behaviour, the ground truth pkcecheck's report is held to.
func TestLoginConsentAndPKCE(t *testing.T) {
	s := startForTest(t, Options{Username: "carol"})
	meta := discovery(t, s)
	b := newBrowser(t)
	const v1 = "first-verifier-0123456789-abcdefghijklmnopq_~."

	t.Run("first authorization shows the login form and the consent page", func(t *testing.T) {
		st := b.walk(http.MethodGet, authURL(meta, PublicClientID, s256(v1), "S256", "state-first-1"), nil)
		if st.status != http.StatusOK || !strings.HasPrefix(st.url, s.LoginURL()) || !strings.Contains(st.page, `id="username"`) {
			t.Fatalf("got HTTP %d at %s, want the login form:\n%s", st.status, pathOf(st.url), st.page)
		}
		challenge := hidden(t, st.page, "login_challenge")

		st = b.walk(http.MethodPost, s.LoginURL(), map[string][]string{
			"login_challenge": {challenge}, "username": {"carol"}, "password": {"wrong-password"}})
		if st.status != http.StatusUnauthorized || !strings.Contains(st.page, `id="login-error"`) {
			t.Fatalf("wrong password: HTTP %d, want 401 with the error shown:\n%s", st.status, st.page)
		}

		st = b.walk(http.MethodPost, s.LoginURL(), map[string][]string{
			"login_challenge": {challenge}, "username": {"carol"}, "password": {testPassword}})
		if st.status != http.StatusOK || !strings.Contains(st.page, `id="consent-accept"`) {
			t.Fatalf("after login: HTTP %d at %s, want the consent page:\n%s", st.status, pathOf(st.url), st.page)
		}
		for _, scope := range strings.Fields(Scope) {
			if !strings.Contains(st.page, "<li>"+scope+"</li>") {
				t.Errorf("consent page does not list scope %s", scope)
			}
		}

		st = b.walk(http.MethodPost, s.app.ConsentURL(), map[string][]string{
			"consent_challenge": {hidden(t, st.page, "consent_challenge")}})
		code := st.callback.Get("code")
		if code == "" || st.callback.Get("state") != "state-first-1" {
			t.Fatalf("after consent: callback %v, page HTTP %d, want a code and state-first-1", st.callback, st.status)
		}
		if tok := postToken(t, meta.Token, codeForm(PublicClientID, code, v1), false); tok.status != http.StatusOK || tok.AccessToken == "" {
			t.Fatalf("redeem with the right verifier: HTTP %d %s", tok.status, tok.Error)
		}
	})

	t.Run("later authorizations skip the login form, and consent once given", func(t *testing.T) {
		for _, client := range []string{PublicClientID, OtherClientID, ConfidentialClientID} {
			st := b.walk(http.MethodGet, authURL(meta, client, s256(v1), "S256", "state-second-2"), nil)
			if client != PublicClientID {
				// Consent is remembered per client: the first request of
				// another client shows the consent page, not the login form.
				if st.status != http.StatusOK || !strings.Contains(st.page, `id="consent-accept"`) {
					t.Fatalf("%s: HTTP %d at %s, want the consent page:\n%s", client, st.status, pathOf(st.url), st.page)
				}
				st = b.walk(http.MethodPost, s.app.ConsentURL(), map[string][]string{
					"consent_challenge": {hidden(t, st.page, "consent_challenge")}})
				if st.callback.Get("code") == "" {
					t.Fatalf("%s: after consent: callback %v, HTTP %d", client, st.callback, st.status)
				}
				st = b.walk(http.MethodGet, authURL(meta, client, s256(v1), "S256", "state-second-2"), nil)
			}
			if st.callback.Get("code") == "" {
				t.Fatalf("%s: HTTP %d at %s, want a code without a form:\n%s", client, st.status, pathOf(st.url), st.page)
			}
			// The app still sees both requests (Hydra marks them skip).
			if !slices.Contains(st.visited, loginPath) || !slices.Contains(st.visited, consentPath) {
				t.Errorf("%s: passed through %v, want the login app's /login and /consent", client, st.visited)
			}
		}
	})

	// code mints a code for client through the remembered session.
	code := func(t *testing.T, client, challenge, method string) string {
		t.Helper()
		st := b.walk(http.MethodGet, authURL(meta, client, challenge, method, "state-third-3"), nil)
		c := st.callback.Get("code")
		if c == "" {
			t.Fatalf("no code: callback %v, HTTP %d at %s", st.callback, st.status, pathOf(st.url))
		}
		return c
	}

	const (
		v2  = "second-verifier-0123456789-abcdefghijklmnop"
		v42 = "short-verifier-0123456789-abcdefghijklmnop"
	)
	type attempt struct {
		verifier []string // none: no code_verifier
		status   int
		error    string
	}
	tokenTests := []struct {
		name      string
		client    string
		challenge string
		attempts  []attempt
	}{
		{"right verifier, then a replay", PublicClientID, s256(v1), []attempt{
			{[]string{v1}, http.StatusOK, ""}, {[]string{v1}, http.StatusBadRequest, "invalid_grant"}}},
		{"a wrong verifier burns the code", PublicClientID, s256(v1), []attempt{
			{[]string{v2}, http.StatusBadRequest, "invalid_grant"}, {[]string{v1}, http.StatusBadRequest, "invalid_grant"}}},
		{"a missing verifier burns the code", PublicClientID, s256(v1), []attempt{
			{nil, http.StatusBadRequest, "invalid_grant"}, {[]string{v1}, http.StatusBadRequest, "invalid_grant"}}},
		{"an empty verifier", PublicClientID, s256(v1), []attempt{
			{[]string{""}, http.StatusBadRequest, "invalid_grant"}}},
		{"a 42-character verifier matching its challenge", PublicClientID, s256(v42), []attempt{
			{[]string{v42}, http.StatusBadRequest, "invalid_grant"}}},
		{"a verifier with a bad character matching its challenge", PublicClientID, s256(v1[:42] + "+"), []attempt{
			{[]string{v1[:42] + "+"}, http.StatusBadRequest, "invalid_grant"}}},
		{"public client, a wrong verifier, then none", PublicClientID, s256(v1), []attempt{
			{[]string{v2}, http.StatusBadRequest, "invalid_grant"}, {nil, http.StatusBadRequest, "invalid_request"}}},
		// fosite deletes a code's PKCE binding on the first attempt, before it
		// checks the verifier (ory/fosite#883); the code itself stays valid.
		// Public clients are then caught by enforced_for_public_clients;
		// confidential clients get tokens without a verifier.
		{"confidential client, a wrong verifier, then none (downgrade)", ConfidentialClientID, s256(v1), []attempt{
			{[]string{v2}, http.StatusBadRequest, "invalid_grant"}, {nil, http.StatusOK, ""}}},
		{"confidential client, no verifier twice (downgrade)", ConfidentialClientID, s256(v1), []attempt{
			{nil, http.StatusBadRequest, "invalid_grant"}, {nil, http.StatusOK, ""}}},
		{"confidential client, a wrong verifier, then the right one", ConfidentialClientID, s256(v1), []attempt{
			{[]string{v2}, http.StatusBadRequest, "invalid_grant"}, {[]string{v1}, http.StatusBadRequest, "invalid_grant"}}},
		{"confidential client without a challenge", ConfidentialClientID, "", []attempt{
			{nil, http.StatusOK, ""}}},
	}
	for _, tt := range tokenTests {
		t.Run(tt.name, func(t *testing.T) {
			method := "S256"
			if tt.challenge == "" {
				method = ""
			}
			c := code(t, tt.client, tt.challenge, method)
			for i, a := range tt.attempts {
				tok := postToken(t, meta.Token, codeForm(tt.client, c, a.verifier...), tt.client == ConfidentialClientID)
				if tok.status != a.status || tok.Error != a.error {
					t.Errorf("attempt %d: HTTP %d error=%q, want %d error=%q", i+1, tok.status, tok.Error, a.status, a.error)
				}
			}
		})
	}

	t.Run("a replay revokes the tokens of the first redemption", func(t *testing.T) {
		c := code(t, PublicClientID, s256(v1), "S256")
		first := postToken(t, meta.Token, codeForm(PublicClientID, c, v1), false)
		if first.status != http.StatusOK {
			t.Fatalf("first redemption: HTTP %d %s", first.status, first.Error)
		}
		if got := userinfo(t, meta.Userinfo, first.AccessToken); got != http.StatusOK {
			t.Fatalf("userinfo with the fresh token: HTTP %d, want 200", got)
		}
		if replay := postToken(t, meta.Token, codeForm(PublicClientID, c, v1), false); replay.status != http.StatusBadRequest {
			t.Fatalf("replay: HTTP %d, want 400", replay.status)
		}
		if got := userinfo(t, meta.Userinfo, first.AccessToken); got != http.StatusUnauthorized {
			t.Errorf("userinfo after the replay: HTTP %d, want 401", got)
		}
	})

	authorizeTests := []struct {
		name      string
		client    string
		challenge string
		method    string
		error     string // "" means a code is issued
	}{
		{"public client without a challenge", PublicClientID, "", "", "invalid_request"},
		{"plain", PublicClientID, v1, "plain", "invalid_request"},
		{"method omitted", PublicClientID, v1, "", "invalid_request"},
		{"unknown method", PublicClientID, s256(v1), "S512", "invalid_request"},
		{"wrongly cased method", PublicClientID, s256(v1), "s256", "invalid_request"},
		{"confidential client without a challenge", ConfidentialClientID, "", "", ""},
	}
	for _, tt := range authorizeTests {
		t.Run("authorize: "+tt.name, func(t *testing.T) {
			st := b.walk(http.MethodGet, authURL(meta, tt.client, tt.challenge, tt.method, "state-fourth-4"), nil)
			if st.callback == nil {
				t.Fatalf("no redirect to the client: HTTP %d at %s", st.status, pathOf(st.url))
			}
			if got := st.callback.Get("error"); got != tt.error || (tt.error == "") != (st.callback.Get("code") != "") {
				t.Errorf("callback error=%q code set %v, want error=%q", got, st.callback.Get("code") != "", tt.error)
			}
			if st.callback.Get("state") != "state-fourth-4" {
				t.Errorf("callback state = %q, want state-fourth-4", st.callback.Get("state"))
			}
		})
	}
}
