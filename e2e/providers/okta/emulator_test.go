package okta

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

func TestStartRejectsBadOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts Options
		want string
	}{
		{"no secret", Options{Password: "p"}, "ConfidentialSecret and Options.Password are required"},
		{"no password", Options{ConfidentialSecret: "s"}, "are required"},
		{"unknown generation", Options{Password: "p", ConfidentialSecret: "s", Gen: 4}, "unknown widget generation 4"},
		{"bad TOTP secret", Options{Password: "p", ConfidentialSecret: "s", TOTPSecret: "not base32!"}, "TOTP secret"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(context.Background(), tt.opts)
			if err == nil {
				_ = s.Stop()
				t.Fatalf("Start succeeded, want an error with %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q", err, tt.want)
			}
		})
	}
}

// TestTOTPStep checks the RFC 6238 appendix B vectors (SHA-1, the last six
// digits) and the one-step skew window.
func TestTOTPStep(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for _, tt := range []struct {
		unix int64
		code string
		ok   bool
	}{
		{59, "287082", true}, {1111111109, "081804", true}, {1234567890, "005924", true},
		{1234567890 + 30, "005924", true}, {1234567890 + 61, "005924", false}, {59, "287083", false}, {59, "28708", false},
	} {
		if _, ok := totpStep(secret, tt.code, time.Unix(tt.unix, 0)); ok != tt.ok {
			t.Errorf("totpStep(%s at %d) = %v, want %v", tt.code, tt.unix, ok, tt.ok)
		}
	}
}

// authorizeAnswer sends an authorization request with q (over a valid S256
// request for the public client) and returns the status, the redirect's
// query (nil without one) and the body.
func authorizeAnswer(t *testing.T, s *Server, change func(url.Values)) (int, url.Values, string) {
	t.Helper()
	pair, _ := pkce.NewPair(43)
	u, _ := url.Parse(authorizeURL(s, PublicClientID, pair.Challenge, nil))
	q := u.Query()
	change(q)
	u.RawQuery = q.Encode()
	resp, err := noRedirect.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var loc url.Values
	if l := resp.Header.Get("Location"); l != "" {
		lu, _ := url.Parse(l)
		loc = lu.Query()
	}
	return resp.StatusCode, loc, string(body)
}

func TestAuthorizePolicy(t *testing.T) {
	strict := start(t, Options{})
	lenient := start(t, Options{AllowPlain: true})
	plain := func(q url.Values) {
		q.Set("code_challenge_method", "plain")
		q.Set("code_challenge", strings.Repeat("p", 43))
	}
	for _, tt := range []struct {
		name   string
		s      *Server
		change func(url.Values)
		page   bool   // the sign-in page (200)
		error  string // the error of the redirect; "" with page or an error page
	}{
		{"valid S256", strict, func(url.Values) {}, true, ""},
		{"unknown client: error page", strict, func(q url.Values) { q.Set("client_id", "nobody") }, false, ""},
		{"unregistered redirect_uri: error page", strict, func(q url.Values) { q.Set("redirect_uri", RedirectURI+"/x") }, false, ""},
		{"no challenge", strict, func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, false, "invalid_request"},
		{"method without challenge", strict, func(q url.Values) { q.Del("code_challenge") }, false, "invalid_request"},
		{"unknown method", strict, func(q url.Values) { q.Set("code_challenge_method", "S512") }, false, "invalid_request"},
		{"short S256 challenge", strict, func(q url.Values) { q.Set("code_challenge", "abc") }, false, "invalid_request"},
		{"plain refused", strict, plain, false, "invalid_request"},
		{"no method (plain) refused", strict, func(q url.Values) { q.Del("code_challenge_method") }, false, "invalid_request"},
		{"plain allowed", lenient, plain, true, ""},
		{"repeated parameter", strict, func(q url.Values) { q.Add("code_challenge", q.Get("code_challenge")) }, false, "invalid_request"},
		{"response_type token", strict, func(q url.Values) { q.Set("response_type", "token") }, false, "unsupported_response_type"},
		{"unknown scope", strict, func(q url.Values) { q.Set("scope", "openid admin") }, false, "invalid_scope"},
		{"prompt=none without a session", strict, func(q url.Values) { q.Set("prompt", "none") }, false, "login_required"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, loc, body := authorizeAnswer(t, tt.s, tt.change)
			switch {
			case tt.page:
				if status != http.StatusOK || !strings.Contains(body, "new OktaSignIn(") {
					t.Errorf("HTTP %d, want the sign-in page:\n%.300s", status, body)
				}
			case tt.error == "":
				if status != http.StatusBadRequest || loc != nil {
					t.Errorf("HTTP %d to %v, want a 400 error page", status, loc)
				}
			default:
				if status != http.StatusFound || loc.Get("error") != tt.error || loc.Get("state") != "st-1" || loc.Get("iss") != tt.s.Issuer() || loc.Get("code") != "" {
					t.Errorf("HTTP %d to %v, want an error redirect %s with state and iss", status, loc, tt.error)
				}
			}
		})
	}
}

// tokenRequest posts form to the token endpoint, with basic credentials
// when user is set.
func tokenRequest(t *testing.T, s *Server, form url.Values, user, pass string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.Issuer()+"/v1/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestTokenEndpoint(t *testing.T) {
	s := start(t, Options{})
	codeFor := func(client string) (string, pkce.Pair) {
		pair, _ := pkce.NewPair(64)
		return signIn(t, s, client, pair.Challenge), pair
	}
	form := func(code, client, verifier string) url.Values {
		f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {RedirectURI}, "code_verifier": {verifier}}
		if client != "" {
			f.Set("client_id", client)
		}
		return f
	}

	t.Run("redeemed, then replayed", func(t *testing.T) {
		code, pair := codeFor(PublicClientID)
		resp, out := tokenRequest(t, s, form(code, PublicClientID, pair.Verifier), "", "")
		at, _ := out["access_token"].(string)
		idt, _ := out["id_token"].(string)
		if resp.StatusCode != 200 || at == "" || strings.Count(idt, ".") != 2 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("HTTP %d %v (Cache-Control %q), want tokens with an ID token, no-store", resp.StatusCode, out, resp.Header.Get("Cache-Control"))
		}
		payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(idt, ".")[1])
		var claims map[string]any
		if err := json.Unmarshal(payload, &claims); err != nil || claims["iss"] != s.Issuer() || claims["aud"] != PublicClientID || claims["nonce"] != nil {
			t.Errorf("ID token claims %v (%v)", claims, err)
		}
		if st := userinfo(t, s, at); st != 200 {
			t.Errorf("userinfo with the access token: HTTP %d", st)
		}
		if resp, out := tokenRequest(t, s, form(code, PublicClientID, pair.Verifier), "", ""); resp.StatusCode != 400 || out["error"] != "invalid_grant" {
			t.Errorf("replay: HTTP %d %v, want 400 invalid_grant", resp.StatusCode, out)
		}
		if st := userinfo(t, s, at); st != 401 {
			t.Errorf("userinfo after the replay: HTTP %d, want 401 (revoked)", st)
		}
	})
	t.Run("confidential client", func(t *testing.T) {
		code, pair := codeFor(ConfidentialClientID)
		if resp, out := tokenRequest(t, s, form(code, "", pair.Verifier), ConfidentialClientID, "wrong"); resp.StatusCode != 401 || out["error"] != "invalid_client" || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("wrong secret: HTTP %d %v", resp.StatusCode, out)
		}
		code, pair = codeFor(ConfidentialClientID)
		if resp, out := tokenRequest(t, s, form(code, ConfidentialClientID, pair.Verifier), "", ""); resp.StatusCode != 401 || out["error"] != "invalid_client" {
			t.Errorf("no secret: HTTP %d %v", resp.StatusCode, out)
		}
		code, pair = codeFor(ConfidentialClientID)
		if resp, out := tokenRequest(t, s, form(code, "", pair.Verifier), ConfidentialClientID, testSecret); resp.StatusCode != 200 {
			t.Errorf("client_secret_basic: HTTP %d %v", resp.StatusCode, out)
		}
		code, pair = codeFor(ConfidentialClientID)
		f := form(code, ConfidentialClientID, pair.Verifier)
		f.Set("client_secret", testSecret)
		if resp, out := tokenRequest(t, s, f, "", ""); resp.StatusCode != 200 {
			t.Errorf("client_secret_post: HTTP %d %v", resp.StatusCode, out)
		}
	})
	t.Run("bound to client, redirect URI and verifier", func(t *testing.T) {
		for name, change := range map[string]func(url.Values){
			"another client":   func(f url.Values) { f.Set("client_id", OtherClientID) },
			"another redirect": func(f url.Values) { f.Set("redirect_uri", RedirectURI+"?x=1") },
			"no verifier":      func(f url.Values) { f.Del("code_verifier") },
			"the challenge":    func(f url.Values) { f.Set("code_verifier", pkce.S256(f.Get("code_verifier"))) },
			"too short":        func(f url.Values) { f.Set("code_verifier", f.Get("code_verifier")[:42]) },
		} {
			code, pair := codeFor(PublicClientID)
			f := form(code, PublicClientID, pair.Verifier)
			change(f)
			if resp, out := tokenRequest(t, s, f, "", ""); resp.StatusCode != 400 || out["error"] != "invalid_grant" {
				t.Errorf("%s: HTTP %d %v, want 400 invalid_grant", name, resp.StatusCode, out)
			}
		}
	})
}

// userinfo returns the status of a userinfo request with token.
func userinfo(t *testing.T, s *Server, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.Issuer()+"/v1/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// newHandle starts a transaction for client with challenge and returns
// its state handle, read from the sign-in page.
func newHandle(t *testing.T, s *Server, c *http.Client, client, challenge string) string {
	t.Helper()
	resp, err := c.Get(authorizeURL(s, client, challenge, nil))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := stateTokenRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no stateToken in the sign-in page (HTTP %d):\n%.500s", resp.StatusCode, page)
	}
	return string(m[1])
}

// newPublicHandle is newHandle for the public client and a fresh
// challenge.
func newPublicHandle(t *testing.T, s *Server, c *http.Client) string {
	t.Helper()
	pair, _ := pkce.NewPair(43)
	return newHandle(t, s, c, PublicClientID, pair.Challenge)
}

// messageOf is the first message of an IDX answer and its i18n key.
func messageOf(out map[string]any) (string, string) {
	msgs, _ := out["messages"].(map[string]any)
	list, _ := msgs["value"].([]any)
	if len(list) == 0 {
		return "", ""
	}
	m, _ := list[0].(map[string]any)
	i18n, _ := m["i18n"].(map[string]any)
	text, _ := m["message"].(string)
	key, _ := i18n["key"].(string)
	return text, key
}

// TestIDXRefusals: wrong credentials are answered as Okta answers them:
// 401, the same step again, and the message the widget shows.
func TestIDXRefusals(t *testing.T) {
	t.Run("wrong password, identifier first", func(t *testing.T) {
		s := start(t, Options{})
		h := newPublicHandle(t, s, noRedirect)
		idx(t, s, "identify", map[string]any{"stateHandle": h, "identifier": Username})
		status, out := idx(t, s, "challenge/answer", map[string]any{"stateHandle": h, "credentials": map[string]any{"passcode": "nope"}})
		if text, key := messageOf(out); status != 401 || text != "Password is incorrect" || key != "incorrectPassword" || out["remediation"] == nil {
			t.Errorf("HTTP %d %q %q, want 401 \"Password is incorrect\" with the form again", status, text, key)
		}
	})
	t.Run("wrong password with the identifier", func(t *testing.T) {
		s := start(t, Options{IdentifyWithPassword: true})
		h := newPublicHandle(t, s, noRedirect)
		status, out := idx(t, s, "identify", map[string]any{"stateHandle": h, "identifier": Username, "credentials": map[string]any{"passcode": "nope"}})
		if text, key := messageOf(out); status != 401 || key != "errors.E0000004" || text != "Authentication failed" {
			t.Errorf("HTTP %d %q %q, want 401 errors.E0000004", status, text, key)
		}
	})
	t.Run("TOTP wrong, then right, then replayed", func(t *testing.T) {
		s := start(t, Options{TOTPSecret: testTOTP})
		key, _ := profiles.DecodeTOTPSecret(testTOTP)
		code, _ := profiles.TOTP(key, time.Now(), 6)
		wrong := "000000"
		if wrong == code {
			wrong = "111111"
		}
		for i, want := range []string{"api.authn.error.PASSCODE_INVALID", "", "authfactor.challenge.soft_token.used_passcode"} {
			h := newPublicHandle(t, s, noRedirect)
			idx(t, s, "identify", map[string]any{"stateHandle": h, "identifier": Username})
			idx(t, s, "challenge/answer", map[string]any{"stateHandle": h, "credentials": map[string]any{"passcode": testPassword}})
			idx(t, s, "challenge", map[string]any{"stateHandle": h, "authenticator": map[string]any{"id": otpAuthenticatorID}})
			sent := code
			if i == 0 {
				sent = wrong
			}
			status, out := idx(t, s, "challenge/answer", map[string]any{"stateHandle": h, "credentials": map[string]any{"passcode": sent}})
			if _, got := messageOf(out); got != want || (want == "") != (status == 200) {
				t.Errorf("attempt %d: HTTP %d %q, want %q", i+1, status, got, want)
			}
		}
	})
	t.Run("unknown state handle", func(t *testing.T) {
		s := start(t, Options{})
		status, out := idx(t, s, "introspect", map[string]any{"stateToken": "02nothing"})
		if _, key := messageOf(out); status != 401 || key != "idx.session.expired" {
			t.Errorf("HTTP %d %q", status, key)
		}
	})
}

// TestSessionAndConsent: the SSO session skips the sign-in; consent is
// asked once per client; "Don't Allow" ends in access_denied.
func TestSessionAndConsent(t *testing.T) {
	s := start(t, Options{Consent: true})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: noRedirect.CheckRedirect}
	h := newPublicHandle(t, s, c)
	post := func(step string, body map[string]any) map[string]any {
		body["stateHandle"] = h
		_, out := idx(t, s, step, body)
		return out
	}
	post("identify", map[string]any{"identifier": Username})
	out := post("challenge/answer", map[string]any{"credentials": map[string]any{"passcode": testPassword}})
	rem, _ := json.Marshal(out["remediation"])
	if !strings.Contains(string(rem), `"name":"consent"`) {
		t.Fatalf("no consent form after the password: %s", rem)
	}
	out = post("consent", map[string]any{"consent": true})
	href := out["success"].(map[string]any)["href"].(string)
	resp, err := c.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || !strings.Contains(resp.Header.Get("Location"), "code=") {
		t.Fatalf("token redirect: HTTP %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The session and the consent now stand: a code at once.
	pair, _ := pkce.NewPair(43)
	resp, err = c.Get(authorizeURL(s, PublicClientID, pair.Challenge, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || !strings.Contains(resp.Header.Get("Location"), "code=") {
		t.Errorf("authorize with the session: HTTP %d %q, want a code at once", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Another client: only its consent page, where "Don't Allow" refuses.
	h = newHandle(t, s, c, OtherClientID, pair.Challenge)
	out = post("introspect", map[string]any{"stateToken": h})
	if rem, _ := json.Marshal(out["remediation"]); !strings.Contains(string(rem), `"name":"consent"`) {
		t.Fatalf("the other client's page is not the consent form: %s", rem)
	}
	out = post("consent", map[string]any{"consent": false})
	href = out["success"].(map[string]any)["href"].(string)
	if u, _ := url.Parse(href); u.Query().Get("error") != "access_denied" || u.Query().Get("state") != "st-1" {
		t.Errorf("Don't Allow led to %q, want access_denied with the state", href)
	}
}
