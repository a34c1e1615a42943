package refidp

import (
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// The probes of issue 16's requirements, added to probes.
func init() {
	probes = append(probes,
		probe{requirements.CodeRaceMixed, probeRaceMixed},
		probe{requirements.RefreshAfterPKCE, func(h *harness) string {
			v := newVerifier(h.t, 43)
			first := h.exchange(pub, h.codeS256(pub, v), verifierP(v))
			rt, _ := first.JSON["refresh_token"].(string)
			if !first.ok() || rt == "" {
				return "no refresh token from the redemption"
			}
			if r := h.refresh(pub, rt); !r.ok() {
				return fmt.Sprintf("refresh refused: %d %s", r.Status, r.Error)
			}
			return ""
		}},
		probe{requirements.ReplayRevokesRefresh, func(h *harness) string {
			v := newVerifier(h.t, 43)
			code := h.codeS256(pub, v)
			first := h.exchange(pub, code, verifierP(v))
			rt, _ := first.JSON["refresh_token"].(string)
			if !first.ok() || rt == "" {
				return "no refresh token from the redemption"
			}
			if r := h.refresh(pub, rt); r.ok() {
				rt, _ = r.JSON["refresh_token"].(string)
			}
			h.exchange(pub, code, verifierP(v))
			if r := h.refresh(pub, rt); r.ok() {
				return "the latest refresh token works after the code was replayed"
			}
			return ""
		}},
		probe{requirements.ErrorCharset, func(h *harness) string {
			v := newVerifier(h.t, 43)
			bad := v[:40] + "\"\\ é<"
			if r := h.exchange(pub, h.codeS256(pub, v), verifierP(bad)); !legal(r.JSON["error_description"], true) {
				return "token error_description with illegal characters"
			}
			r := h.mint(pub, challenge(pkce.S256(v)), method("S256\"é"))
			if r.Error != "" && !legal(r.ErrorDescription, true) {
				return "authorization error_description with illegal characters"
			}
			return ""
		}},
		probe{requirements.RedirectKeepsQuery, func(h *harness) string {
			v := newVerifier(h.t, 43)
			for _, m := range []string{"S256", "S512"} {
				params := [][2]string{{"response_type", "code"}, {"client_id", pub.id}, {"redirect_uri", h.srv.QueryRedirectURI()},
					{"state", "s"}, challenge(pkce.S256(v)), method(m)}
				r := h.authorize(h.client, params, "approve")
				u, err := url.Parse(r.Location)
				if err != nil || u.Query().Get("from") != "pkcecheck" || (r.Code == "" && r.Error == "") {
					return fmt.Sprintf("method %s: the redirect lost the redirect URI's query or its answer", m)
				}
			}
			return ""
		}},
		probe{requirements.FormPostEnforced, func(h *harness) string { return probeMode(h, "form_post") }},
		probe{requirements.FragmentEnforced, func(h *harness) string { return probeMode(h, "fragment") }},
		probe{requirements.CodeLifetime, func(h *harness) string {
			v := newVerifier(h.t, 43)
			code := h.codeS256(pub, v)
			skip := int64(h.srv.CodeLifetime() + time.Second)
			h.srv.clockOffset.Add(skip)
			defer h.srv.clockOffset.Add(-skip)
			if r := h.exchange(pub, code, verifierP(v)); r.ok() {
				return "a code older than its lifetime was redeemed"
			}
			return ""
		}},
	)
}

// probeMode checks PKCE on codes of one response mode: refused without, with
// a wrong and with the challenge as verifier; redeemed with the right one.
func probeMode(h *harness, mode string) string {
	mint := func(v string) string {
		r := h.mint(pub, append(s256Params(v), [2]string{"response_mode", mode})...)
		if r.Code == "" || r.Mode != mode {
			h.t.Fatalf("%s: no code in a %s response (mode %q, error %q)", mode, mode, r.Mode, r.Error)
		}
		return r.Code
	}
	v := newVerifier(h.t, 43)
	for name, extra := range map[string][][2]string{
		"no verifier":               nil,
		"a wrong verifier":          {verifierP(newVerifier(h.t, 43))},
		"the challenge as verifier": {verifierP(pkce.S256(v))},
	} {
		if r := h.exchange(pub, mint(v), extra...); r.ok() {
			return fmt.Sprintf("%s code redeemed with %s", mode, name)
		}
	}
	if r := h.exchange(pub, mint(v), verifierP(v)); !r.ok() {
		return fmt.Sprintf("%s code refused with the right verifier: %d %s", mode, r.Status, r.Error)
	}
	return ""
}

// legal reports whether an error text (a JSON member or a string) uses only
// the characters RFC 6749 §5.2 allows.
func legal(v any, space bool) bool {
	s, _ := v.(string)
	for _, c := range s {
		if !(c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || (space && c == 0x20)) {
			return false
		}
	}
	return true
}

// refresh runs the refresh token grant as c.
func (h *harness) refresh(c cred, rt string) tokenResult {
	h.t.Helper()
	return h.tokenCall(c, [][2]string{{"grant_type", "refresh_token"}, {"refresh_token", rt}})
}

// probeRaceMixed races the right, wrong and no verifier on one code, in both
// orders (the right one 30 ms ahead, then 30 ms behind).
func probeRaceMixed(h *harness) string {
	kinds := []string{"right", "right", "wrong", "wrong", "wrong", "none", "none", "none"}
	for _, rightFirst := range []bool{true, false} {
		v := newVerifier(h.t, 43)
		code := h.codeS256(pub, v)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var won []string
		start := make(chan struct{})
		for _, kind := range kinds {
			params := [][2]string{{"grant_type", "authorization_code"}, {"code", code}, redirectP(testRedirect)}
			switch kind {
			case "right":
				params = append(params, verifierP(v))
			case "wrong":
				params = append(params, verifierP(newVerifier(h.t, 43)))
			}
			delay := time.Duration(0)
			if (kind == "right") != rightFirst {
				delay = 30 * time.Millisecond
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				time.Sleep(delay)
				if r := h.tokenCall(pub, params); r.ok() {
					mu.Lock()
					won = append(won, kind)
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		for _, k := range won {
			if k != "right" {
				return fmt.Sprintf("a concurrent redemption with %s verifier got tokens (right first: %t)", k, rightFirst)
			}
		}
		if len(won) > 1 {
			return fmt.Sprintf("%d concurrent redemptions with the right verifier got tokens (right first: %t)", len(won), rightFirst)
		}
	}
	return ""
}
