package refidp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// TestTokenErrors: every way a token request can be wrong, each with a
// fresh code, against the clean server.
func TestTokenErrors(t *testing.T) {
	h := startHarness(t, nil)
	type req struct {
		c      cred
		params [][2]string
	}
	std := func(c cred, code string, extra ...[2]string) req {
		return req{c, append([][2]string{{"grant_type", "authorization_code"}, {"code", code}, redirectP(testRedirect)}, extra...)}
	}
	cases := []struct {
		name       string
		build      func(code, v string) req
		wantStatus int
		wantError  string
	}{
		{"missing verifier", func(code, v string) req { return std(pub, code) }, 400, "invalid_request"},
		{"empty verifier", func(code, v string) req { return std(pub, code, verifierP("")) }, 400, "invalid_request"},
		{"42-character verifier", func(code, v string) req { return std(pub, code, verifierP(v[:42])) }, 400, "invalid_request"},
		{"129-character verifier", func(code, v string) req { return std(pub, code, verifierP(v+strings.Repeat("a", 86))) }, 400, "invalid_request"},
		{"verifier with space", func(code, v string) req { return std(pub, code, verifierP(v[:42]+" ")) }, 400, "invalid_request"},
		{"wrong verifier", func(code, v string) req { return std(pub, code, verifierP(flipCase(v))) }, 400, "invalid_grant"},
		{"challenge as verifier", func(code, v string) req { return std(pub, code, verifierP(pkce.S256(v))) }, 400, "invalid_grant"},
		{"two verifiers", func(code, v string) req { return std(pub, code, verifierP(v), verifierP(v)) }, 400, "invalid_request"},
		{"another client", func(code, v string) req { return std(other, code, verifierP(v)) }, 400, "invalid_grant"},
		{"confidential client redeems a public code", func(code, v string) req { return std(confPost, code, verifierP(v)) }, 400, "invalid_grant"},
		{"changed redirect_uri", func(code, v string) req {
			return req{pub, [][2]string{{"grant_type", "authorization_code"}, {"code", code}, redirectP(testRedirect + "?x=1"), verifierP(v)}}
		}, 400, "invalid_grant"},
		{"missing redirect_uri", func(code, v string) req {
			return req{pub, [][2]string{{"grant_type", "authorization_code"}, {"code", code}, verifierP(v)}}
		}, 400, "invalid_grant"},
		{"unknown code", func(code, v string) req { return std(pub, code+"x", verifierP(v)) }, 400, "invalid_grant"},
		{"missing code", func(code, v string) req {
			return req{pub, [][2]string{{"grant_type", "authorization_code"}, redirectP(testRedirect), verifierP(v)}}
		}, 400, "invalid_request"},
		{"missing grant_type", func(code, v string) req {
			return req{pub, [][2]string{{"code", code}, redirectP(testRedirect), verifierP(v)}}
		}, 400, "invalid_request"},
		{"password grant", func(code, v string) req {
			return req{pub, [][2]string{{"grant_type", "password"}, {"code", code}, verifierP(v)}}
		}, 400, "unsupported_grant_type"},
		{"public client with a secret", func(code, v string) req { return std(cred{PublicClientID, "x", "post"}, code, verifierP(v)) }, 401, "invalid_client"},
		{"confidential with wrong secret (basic)", func(code, v string) req {
			return std(cred{ConfidentialClientID, "wrong", "basic"}, code, verifierP(v))
		}, 401, "invalid_client"},
		{"confidential without authentication", func(code, v string) req {
			return std(cred{ConfidentialClientID, "", "none"}, code, verifierP(v))
		}, 401, "invalid_client"},
		{"unknown client", func(code, v string) req { return std(cred{"nobody", "", "none"}, code, verifierP(v)) }, 401, "invalid_client"},
		{"no client at all", func(code, v string) req { return std(cred{"", "", "none"}, code, verifierP(v)) }, 401, "invalid_client"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, 43)
			code := h.codeS256(pub, v)
			rq := tc.build(code, v)
			r := h.tokenCall(rq.c, rq.params)
			if r.Status != tc.wantStatus || r.Error != tc.wantError || r.AccessToken != "" {
				t.Fatalf("got %d %q, want %d %q", r.Status, r.Error, tc.wantStatus, tc.wantError)
			}
			if !strings.HasPrefix(r.ContentType, "application/json") || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("content type %q, cache-control %q", r.ContentType, r.Header.Get("Cache-Control"))
			}
			if d, _ := r.JSON["error_description"].(string); d == "" || legalText(d) != d {
				t.Errorf("error_description %q missing or with illegal characters", d)
			}
			if tc.wantStatus == 401 && r.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			// A failed request does not consume the code (BurnOnFailure off).
			if tc.wantError != "invalid_client" && tc.name != "unknown code" {
				if ok := h.exchange(pub, code, verifierP(v)); !ok.ok() {
					t.Errorf("the right verifier afterwards: %d %s", ok.Status, ok.Error)
				}
			}
		})
	}
}

// TestTokenSuccess: public and confidential redemptions, with the headers
// and fields of RFC 6749 §5.1, and the tokens working at userinfo and
// introspection.
func TestTokenSuccess(t *testing.T) {
	h := startHarness(t, nil)
	cases := []struct {
		name string
		c    cred
		v    string
	}{
		{"public 43", pub, newVerifier(t, 43)},
		{"public 128 full charset", pub, newVerifier(t, 124) + "-._~"},
		{"RFC 7636 Appendix B", pub, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"},
		{"other client", other, newVerifier(t, 60)},
		{"confidential basic", confBasic, newVerifier(t, 43)},
		{"confidential post", confPost, newVerifier(t, 43)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.exchange(tc.c, h.codeS256(tc.c, tc.v), verifierP(tc.v))
			if !r.ok() {
				t.Fatalf("got %d %s", r.Status, r.Error)
			}
			if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Pragma") != "no-cache" {
				t.Errorf("Cache-Control %q, Pragma %q", r.Header.Get("Cache-Control"), r.Header.Get("Pragma"))
			}
			if r.JSON["token_type"] != "Bearer" || r.JSON["expires_in"] != float64(3600) || r.JSON["scope"] != "openid" {
				t.Errorf("body %v", r.JSON)
			}
			if st := h.userinfo(r.AccessToken); st != http.StatusOK {
				t.Errorf("userinfo: %d", st)
			}
			if !h.introspect(confBasic, r.AccessToken) {
				t.Error("introspection says inactive")
			}
		})
	}
	t.Run("confidential without PKCE", func(t *testing.T) {
		for _, extra := range [][][2]string{nil, {verifierP("")}} {
			if r := h.exchange(confBasic, h.mustCode(confBasic), extra...); !r.ok() {
				t.Errorf("got %d %s", r.Status, r.Error)
			}
		}
		r := h.exchange(confBasic, h.mustCode(confBasic), verifierP(newVerifier(t, 43)))
		if r.Status != 400 || r.Error != "invalid_request" {
			t.Errorf("downgrade: got %d %q, want 400 invalid_request", r.Status, r.Error)
		}
	})
	if st := h.userinfo("no-such-token"); st != http.StatusUnauthorized {
		t.Errorf("userinfo with an unknown token: %d", st)
	}
}

// introspect reports whether the token is active, asking as c.
func (h *harness) introspect(c cred, tok string) bool {
	h.t.Helper()
	form := url.Values{"token": {tok}}
	req, err := http.NewRequest(http.MethodPost, h.srv.Issuer()+"/introspect", strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.id, c.secret)
	resp, body := h.do(apiClient, req)
	if resp.StatusCode != http.StatusOK {
		return false
	}
	var out struct{ Active bool }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		h.t.Fatalf("decode introspection: %v", err)
	}
	return out.Active
}

func TestIntrospectNeedsConfidentialClient(t *testing.T) {
	h := startHarness(t, nil)
	v := newVerifier(t, 43)
	r := h.exchange(pub, h.codeS256(pub, v), verifierP(v))
	if !r.ok() {
		t.Fatalf("redeem: %d %s", r.Status, r.Error)
	}
	for _, c := range []cred{{PublicClientID, "", "basic"}, {ConfidentialClientID, "wrong", "basic"}} {
		if h.introspect(c, r.AccessToken) {
			t.Errorf("%s with secret %q could introspect", c.id, c.secret)
		}
	}
}

// TestReplayRevokes: a second redemption is refused and kills the tokens of
// the first.
func TestReplayRevokes(t *testing.T) {
	h := startHarness(t, nil)
	v := newVerifier(t, 43)
	code := h.codeS256(pub, v)
	first := h.exchange(pub, code, verifierP(v))
	if !first.ok() {
		t.Fatalf("first: %d %s", first.Status, first.Error)
	}
	replay := h.exchange(pub, code, verifierP(v))
	if replay.Status != 400 || replay.Error != "invalid_grant" {
		t.Fatalf("replay: %d %q, want 400 invalid_grant", replay.Status, replay.Error)
	}
	if st := h.userinfo(first.AccessToken); st != http.StatusUnauthorized {
		t.Errorf("userinfo after replay: %d, want 401", st)
	}
	if h.introspect(confBasic, first.AccessToken) {
		t.Error("introspection after replay: active")
	}
}

// TestConcurrentRedemption: exactly one of 10 redemptions released together
// wins; the others get 400.
func TestConcurrentRedemption(t *testing.T) {
	h := startHarness(t, nil)
	for round := range 3 {
		v := newVerifier(t, 43)
		wins, statuses, err := h.race(h.codeS256(pub, v), v, 10)
		if err != nil {
			t.Fatal(err)
		}
		if wins != 1 || len(statuses) != 10 {
			t.Fatalf("round %d: %d winners of %d answers, want exactly 1 of 10", round, wins, len(statuses))
		}
		for _, st := range statuses {
			if st != 200 && st != 400 {
				t.Errorf("round %d: status %d", round, st)
			}
		}
	}
}

// TestCodeExpiry: codes die after 60 seconds.
func TestCodeExpiry(t *testing.T) {
	h := startHarness(t, nil)
	v := newVerifier(t, 43)
	code := h.codeS256(pub, v)
	h.srv.clockOffset.Store(int64(61 * time.Second))
	if r := h.exchange(pub, code, verifierP(v)); r.Status != 400 || r.Error != "invalid_grant" {
		t.Fatalf("expired code: %d %q, want 400 invalid_grant", r.Status, r.Error)
	}
}

// TestBurnOnFailure: with it, a failed PKCE check consumes the code.
func TestBurnOnFailure(t *testing.T) {
	cases := []struct {
		burn   bool
		wrong  [][2]string
		wantOK bool
	}{
		{false, [][2]string{verifierP(newVerifier(t, 43))}, true},
		{true, [][2]string{verifierP(newVerifier(t, 43))}, false},
		{true, nil, false},
		{true, [][2]string{verifierP("short")}, false},
	}
	for i, tc := range cases {
		h := startHarness(t, func(c *Config) { c.BurnOnFailure = tc.burn })
		v := newVerifier(t, 43)
		code := h.codeS256(pub, v)
		if r := h.exchange(pub, code, tc.wrong...); r.ok() {
			t.Fatalf("wrong verifier redeemed")
		}
		if r := h.exchange(pub, code, verifierP(v)); r.ok() != tc.wantOK {
			t.Errorf("case %d (burn=%t): right verifier afterwards ok=%t (%d %s), want %t",
				i, tc.burn, r.ok(), r.Status, r.Error, tc.wantOK)
		}
	}
}
