package dex

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// flowResult is where one authorization request ended.
type flowResult struct {
	redirect  *url.URL // the redirect to RedirectURI
	logins    int      // login forms filled in
	approvals int      // approval pages granted
}

// authorize runs one authorization request through Dex's pages with plain
// HTTP, as the browser would: it follows redirects, checks that the login
// and approval pages carry the elements the profile's selectors name, posts
// the static user's credentials and grants the approval, and returns the
// redirect to RedirectURI. Dex needs no cookies for this.
func authorize(t *testing.T, issuer string, params url.Values) flowResult {
	t.Helper()
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base, err := url.Parse(issuer)
	if err != nil {
		t.Fatalf("parse issuer: %v", err)
	}
	var res flowResult
	next := issuer + "/auth?" + params.Encode()
	for hop := 0; hop < 10; hop++ {
		ref, err := url.Parse(next)
		if err != nil {
			t.Fatalf("parse redirect %q: %v", next, err)
		}
		u := base.ResolveReference(ref)
		if strings.HasPrefix(u.String(), RedirectURI+"?") {
			res.redirect = u
			return res
		}
		var resp *http.Response
		switch {
		case strings.HasSuffix(u.Path, "/auth/local/login"):
			expectPage(t, client, u, `id="login"`, `id="password"`, `id="submit-login"`)
			resp, err = client.PostForm(u.String(), url.Values{"login": {Email}, "password": {Password}})
			res.logins++
		case strings.HasSuffix(u.Path, "/approval"):
			expectPage(t, client, u, `name="approval" value="approve"`, `type="submit"`)
			resp, err = client.PostForm(u.String(), url.Values{"req": {u.Query().Get("req")}, "approval": {"approve"}})
			res.approvals++
		default:
			resp, err = client.Get(u.String())
		}
		if err != nil {
			t.Fatalf("request %s: %v", u.Path, err)
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		if resp.StatusCode/100 != 3 {
			t.Fatalf("%s answered %d, want a redirect", u.Path, resp.StatusCode)
		}
		next = resp.Header.Get("Location")
	}
	t.Fatalf("no redirect to %s after 10 hops", RedirectURI)
	return res
}

// expectPage fetches a page and checks that it contains every marker.
func expectPage(t *testing.T, client *http.Client, u *url.URL, markers ...string) {
	t.Helper()
	resp, err := client.Get(u.String())
	if err != nil {
		t.Fatalf("get %s: %v", u.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("get %s: status %d, %v", u.Path, resp.StatusCode, err)
	}
	for _, m := range markers {
		if !strings.Contains(string(body), m) {
			t.Errorf("page %s lacks %s", u.Path, m)
		}
	}
}

// authParams is an authorization request of client with an optional PKCE
// challenge; method "" leaves code_challenge_method out.
func authParams(client, challenge, method string) url.Values {
	v := url.Values{"client_id": {client}, "redirect_uri": {RedirectURI}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"st-" + client}}
	if challenge != "" {
		v.Set("code_challenge", challenge)
	}
	if method != "" {
		v.Set("code_challenge_method", method)
	}
	return v
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// codeOf returns the code of a redirect, failing the test if it has none.
func codeOf(t *testing.T, res flowResult) string {
	t.Helper()
	q := res.redirect.Query()
	if q.Get("code") == "" {
		t.Fatalf("no code in the redirect (error=%q)", q.Get("error"))
	}
	return q.Get("code")
}

// redemption is one token request for a code and what Dex answers.
type redemption struct {
	client   string  // "" means PublicClientID
	verifier *string // nil: no code_verifier
	redirect string  // "" means RedirectURI
	status   int
	error    string // "" means tokens
}

func ptr(s string) *string { return &s }

// TestPKCEBehaviour pins down what Dex v2.45.1 does with PKCE (the ground
// truth pkcecheck's end-to-end test expects): the checks it makes, and the
// ones it leaves out.
func TestPKCEBehaviour(t *testing.T) {
	s := startForTest(t, Options{})
	token := discovery(t, s.Issuer()).Token
	v43 := testVerifier
	v42 := v43[:42]
	spaced := v43[:20] + " " + v43[20:]
	tests := []struct {
		name      string
		client    string
		challenge string
		method    string
		steps     []redemption
	}{
		{"S256, right verifier", PublicClientID, s256(v43), "S256",
			[]redemption{{verifier: &v43, status: 200}}},
		{"missing verifier keeps the code", PublicClientID, s256(v43), "S256", []redemption{
			{status: 400, error: "invalid_grant"},
			{verifier: &v43, status: 200}}},
		{"empty verifier", PublicClientID, s256(v43), "S256",
			[]redemption{{verifier: ptr(""), status: 400, error: "invalid_grant"}}},
		{"wrong verifier keeps the code", PublicClientID, s256(v43), "S256", []redemption{
			{verifier: ptr(v43[:42] + "x"), status: 400, error: "invalid_grant"},
			{verifier: &v43, status: 200}}},
		{"replay is refused", PublicClientID, s256(v43), "S256", []redemption{
			{verifier: &v43, status: 200},
			{verifier: &v43, status: 400, error: "invalid_grant"}}},
		{"42-character verifier is accepted (no length check)", PublicClientID, s256(v42), "S256",
			[]redemption{{verifier: &v42, status: 200}}},
		{"verifier with a space is accepted (no charset check)", PublicClientID, s256(spaced), "S256",
			[]redemption{{verifier: &spaced, status: 200}}},
		{"plain is accepted", PublicClientID, v43, "plain",
			[]redemption{{verifier: &v43, status: 200}}},
		{"an omitted method means plain", PublicClientID, v43, "",
			[]redemption{{verifier: &v43, status: 200}}},
		{"no challenge: a public client gets tokens", PublicClientID, "", "",
			[]redemption{{status: 200}}},
		{"no challenge, verifier sent (downgrade) is refused", PublicClientID, "", "",
			[]redemption{{verifier: &v43, status: 400, error: "invalid_request"}}},
		// Dex finds the code, sees another client, and answers 500
		// server_error where RFC 6749 §5.2 says invalid_grant (handleAuthCode
		// treats every lookup outcome but "not found" as a storage failure);
		// the code stays redeemable by its own client.
		{"another client's code is refused with HTTP 500", PublicClientID, s256(v43), "S256", []redemption{
			{client: OtherClientID, verifier: &v43, status: 500, error: "server_error"},
			{client: ConfidentialClientID, verifier: &v43, status: 500, error: "server_error"},
			{verifier: &v43, status: 200}}},
		{"a changed redirect_uri is refused with invalid_request", PublicClientID, s256(v43), "S256",
			[]redemption{{verifier: &v43, redirect: RedirectURI + "/x", status: 400, error: "invalid_request"}}},
		{"confidential client, right verifier", ConfidentialClientID, s256(v43), "S256",
			[]redemption{{client: ConfidentialClientID, verifier: &v43, status: 200}}},
		{"confidential client, no verifier", ConfidentialClientID, s256(v43), "S256",
			[]redemption{{client: ConfidentialClientID, status: 400, error: "invalid_grant"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := authorize(t, s.Issuer(), authParams(tt.client, tt.challenge, tt.method))
			if res.logins != 1 || res.approvals != 1 {
				t.Errorf("went through %d login(s) and %d approval(s), want 1 and 1", res.logins, res.approvals)
			}
			code := codeOf(t, res)
			for i, r := range tt.steps {
				form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {RedirectURI}}
				if r.redirect != "" {
					form.Set("redirect_uri", r.redirect)
				}
				if r.verifier != nil {
					form.Set("code_verifier", *r.verifier)
				}
				basic := ""
				switch r.client {
				case ConfidentialClientID:
					basic = testSecret
				case "":
					form.Set("client_id", PublicClientID)
				default:
					form.Set("client_id", r.client)
				}
				got := postToken(t, token, form, basic)
				_, issued := got.body["access_token"]
				if got.status != r.status || got.body["error"] != nilIfEmpty(r.error) || issued != (r.error == "") {
					t.Errorf("redemption %d: %d error=%v tokens=%v, want %d error=%q", i+1, got.status, got.body["error"], issued, r.status, r.error)
				}
			}
		})
	}

	t.Run("replay leaves the first access token valid", func(t *testing.T) {
		code := codeOf(t, authorize(t, s.Issuer(), authParams(PublicClientID, s256(v43), "S256")))
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {RedirectURI},
			"client_id": {PublicClientID}, "code_verifier": {v43}}
		first := postToken(t, token, form, "")
		access, _ := first.body["access_token"].(string)
		if access == "" {
			t.Fatalf("first redemption: %d error=%v", first.status, first.body["error"])
		}
		if again := postToken(t, token, form, ""); again.status != 400 {
			t.Errorf("replay answered %d", again.status)
		}
		if status := userinfo(t, discovery(t, s.Issuer()).Userinfo, access); status != 200 {
			t.Errorf("userinfo with the first access token after the replay: %d, want 200 (Dex revokes nothing)", status)
		}
	})

	t.Run("unsupported method is an error redirect", func(t *testing.T) {
		res := authorize(t, s.Issuer(), authParams(PublicClientID, s256(v43), "S512"))
		q := res.redirect.Query()
		if q.Get("error") != "invalid_request" || q.Get("state") != "st-"+PublicClientID || q.Get("code") != "" {
			t.Errorf("redirect query = %v, want error=invalid_request with state and no code", q)
		}
		if res.logins != 0 {
			t.Errorf("the login form showed before the error")
		}
	})
}

func TestSkipApproval(t *testing.T) {
	s := startForTest(t, Options{SkipApproval: true})
	res := authorize(t, s.Issuer(), authParams(PublicClientID, s256(testVerifier), "S256"))
	codeOf(t, res)
	if res.logins != 1 || res.approvals != 0 {
		t.Errorf("went through %d login(s) and %d approval(s), want 1 and 0", res.logins, res.approvals)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// userinfo calls the userinfo endpoint with a Bearer token and returns the
// status.
func userinfo(t *testing.T, endpoint, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, endpoint, nil)
	if err != nil {
		t.Fatalf("build userinfo request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	return resp.StatusCode
}
