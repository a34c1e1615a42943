package okta

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

const (
	testPassword = "okta-emulator-test-pw-5b"
	testSecret   = "okta-emulator-conf-secret-77"
	testTOTP     = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// start runs an emulator for one test.
func start(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Password, opts.ConfidentialSecret = testPassword, testSecret
	return StartForTest(t, opts)
}

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

var stateTokenRE = regexp.MustCompile(`"stateToken":"([^"]+)"`)

// authorizeURL is a valid S256 request for client.
func authorizeURL(s *Server, client, challenge string, extra url.Values) string {
	q := url.Values{"client_id": {client}, "redirect_uri": {RedirectURI}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"st-1"}, "code_challenge": {challenge}, "code_challenge_method": {pkce.MethodS256}}
	for k, v := range extra {
		q[k] = v
	}
	return s.Issuer() + "/v1/authorize?" + q.Encode()
}

// idx posts one IDX request and returns the status and decoded answer.
func idx(t *testing.T, s *Server, step string, body map[string]any) (int, map[string]any) {
	t.Helper()
	data, _ := json.Marshal(body)
	resp, err := noRedirect.Post(s.Origin()+"/idp/idx/"+step, ionType, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return resp.StatusCode, out
}

// signIn walks the IDX flow over HTTP (as the widget would) and returns the
// code of the final redirect.
func signIn(t *testing.T, s *Server, client, challenge string) string {
	t.Helper()
	h := newHandle(t, s, noRedirect, client, challenge)
	type idxStep struct {
		step string
		body map[string]any
	}
	steps := []idxStep{
		{"introspect", map[string]any{"stateToken": h}},
		{"identify", map[string]any{"identifier": Username}},
		{"challenge/answer", map[string]any{"credentials": map[string]any{"passcode": testPassword}}},
	}
	if s.opts.TOTPSecret != "" {
		key, _ := profiles.DecodeTOTPSecret(s.opts.TOTPSecret)
		code, _ := profiles.TOTP(key, time.Now(), 6)
		steps = append(steps,
			idxStep{"challenge", map[string]any{"authenticator": map[string]any{"id": otpAuthenticatorID}}},
			idxStep{"challenge/answer", map[string]any{"credentials": map[string]any{"passcode": code}}})
	}
	var last map[string]any
	for _, st := range steps {
		st.body["stateHandle"] = h
		status, out := idx(t, s, st.step, st.body)
		if status != http.StatusOK {
			t.Fatalf("%s: HTTP %d %v", st.step, status, out["messages"])
		}
		last = out
	}
	success, _ := last["success"].(map[string]any)
	href, _ := success["href"].(string)
	if href == "" {
		t.Fatalf("no success after the factors: %v", last)
	}
	resp, err := noRedirect.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("code") == "" {
		t.Fatalf("token redirect: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := loc.Query().Get("iss"); got != s.Issuer() {
		t.Errorf("iss = %q, want %q", got, s.Issuer())
	}
	return loc.Query().Get("code")
}

// redeem posts a token request for the public client.
func redeem(s *Server, code, verifier string) (int, map[string]any, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {RedirectURI}, "client_id": {PublicClientID}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	resp, err := noRedirect.PostForm(s.Issuer()+"/v1/token", form)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	err = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, err
}

func TestSignInAndRedeem(t *testing.T) {
	s := start(t, Options{TOTPSecret: testTOTP})
	pair, _ := pkce.NewPair(43)
	code := signIn(t, s, PublicClientID, pair.Challenge)
	if status, out, err := redeem(s, code, pair.Verifier+"x"); err != nil || status != 400 || out["error"] != "invalid_grant" {
		t.Errorf("wrong verifier: %d %v %v", status, out, err)
	}
	// The failed attempt used the code up.
	if status, out, _ := redeem(s, code, pair.Verifier); status != 400 || out["error"] != "invalid_grant" {
		t.Errorf("right verifier after a failed attempt: %d %v", status, out)
	}
}

// TestConcurrentRedemptions: of concurrent redemptions of one code, one
// gets tokens and every other gets an answer.
func TestConcurrentRedemptions(t *testing.T) {
	s := start(t, Options{})
	pair, _ := pkce.NewPair(43)
	code := signIn(t, s, PublicClientID, pair.Challenge)
	var wg sync.WaitGroup
	var mu sync.Mutex
	issued := 0
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := pair.Verifier
			if i%2 == 1 {
				v = strings.Repeat("a", 43)
			}
			status, _, err := redeem(s, code, v)
			if err != nil {
				t.Errorf("redemption %d: %v", i, err)
			}
			mu.Lock()
			if status == 200 {
				issued++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if issued > 1 {
		t.Errorf("%d redemptions got tokens", issued)
	}
}
