package refidp

import (
	"net/url"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// TestRequireNonce: with RequireNonce, a request whose scope has openid
// and no nonce is refused with invalid_request "nonce required"; with a
// nonce, or without openid, a code is issued.
func TestRequireNonce(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.RequireNonce = true })
	v, _ := pkce.NewVerifier(43)
	r := h.mint(pub, s256Params(v)...)
	if r.Error != "invalid_request" || r.ErrorDescription != "nonce required" {
		t.Errorf("without nonce: error=%q %q code=%t; want invalid_request \"nonce required\"", r.Error, r.ErrorDescription, r.Code != "")
	}
	if code := h.mustCode(pub, append(s256Params(v), [2]string{"nonce", "n-0S6_WzA2Mj"})...); code == "" {
		t.Error("with a nonce: no code")
	}
	params := authParams(pub, s256Params(v)...)
	for i, p := range params {
		if p[0] == "scope" {
			params[i][1] = "profile"
		}
	}
	if r := h.authorize(h.client, params, "approve"); r.Code == "" {
		t.Errorf("without openid: error=%q %q; want a code (nonce is an OpenID parameter)", r.Error, r.ErrorDescription)
	}
	// The default server does not ask for one.
	d := startHarness(t, nil)
	if code := d.mustCode(pub, s256Params(v)...); code == "" {
		t.Error("default server: no code without nonce")
	}
}

// TestNoSessionAndConsentEveryTime: the session options ask for a
// two-step login and a consent on every authorization.
func TestNoSessionAndConsentEveryTime(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.NoSession, c.ConsentEveryTime = true, true })
	v, _ := pkce.NewVerifier(43)
	authURL := (&authz.Request{Endpoint: h.srv.Issuer() + "/authorize", Params: authParams(pub, s256Params(v)...)}).URL()
	resp, body := h.get(h.client, authURL)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="next"`) || strings.Contains(body, `id="password"`) {
		t.Fatalf("HTTP %d; want the user name page of the two-step login", resp.StatusCode)
	}
	resp, body = h.postForm(h.client, h.srv.Issuer()+"/login/identifier", url.Values{"return": {hidden(body, "return")}, "username": {testUser}})
	if resp.StatusCode != 200 || !strings.Contains(body, `id="password"`) || hidden(body, "username") != testUser {
		t.Fatalf("HTTP %d; want the password page with the user name kept", resp.StatusCode)
	}
	for i := 0; i < 3; i++ {
		if code := h.mustCode(pub, s256Params(v)...); code == "" {
			t.Fatal("no code")
		}
		if got := h.srv.Stats().Logins; got != i+1 {
			t.Errorf("after %d codes, %d logins; want one per authorization (no session)", i+1, got)
		}
	}
	// Consent was asked each time: a denial still reaches the client.
	if r := h.authorize(h.client, authParams(pub, s256Params(v)...), "deny"); r.Error != "access_denied" {
		t.Errorf("deny: error=%q; want access_denied (the consent page showed)", r.Error)
	}
}
