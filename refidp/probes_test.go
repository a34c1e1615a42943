package refidp

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// A probe checks one requirement the way docs/design.md's table describes it,
// through the real login form and token endpoint. It returns "" when the
// requirement holds and otherwise what went wrong.
type probe struct {
	id  requirements.ID
	run func(h *harness) string
}

// probes covers every requirement of the catalogue (policy: pkce_required
// public; plain as h.plainAllowed says).
var probes = []probe{
	{requirements.S256Roundtrip, probeRoundtrip},
	{requirements.VerifierMissing, func(h *harness) string {
		v := newVerifier(h.t, 43)
		if r := h.exchange(pub, h.codeS256(pub, v)); r.ok() {
			return "tokens without code_verifier"
		}
		// A failed attempt must not unbind the code from its challenge.
		code := h.codeS256(pub, v)
		h.exchange(pub, code, verifierP(newVerifier(h.t, 43)))
		if r := h.exchange(pub, code); r.ok() {
			return "tokens without code_verifier after a failed attempt"
		}
		return ""
	}},
	{requirements.VerifierEmpty, func(h *harness) string {
		v := newVerifier(h.t, 43)
		if r := h.exchange(pub, h.codeS256(pub, v), verifierP("")); r.ok() {
			return "tokens for code_verifier="
		}
		return ""
	}},
	{requirements.VerifierMismatch, probeMismatch},
	{requirements.VerifierSwapped, func(h *harness) string {
		v1, v2 := newVerifier(h.t, 43), newVerifier(h.t, 43)
		code1 := h.codeS256(pub, v1)
		_ = h.codeS256(pub, v2) // the other live flow
		if r := h.exchange(pub, code1, verifierP(v2)); r.ok() {
			return "tokens for another flow's verifier"
		}
		return ""
	}},
	{requirements.MethodBound, func(h *harness) string {
		v := newVerifier(h.t, 43)
		if r := h.exchange(pub, h.codeS256(pub, v), verifierP(pkce.S256(v))); r.ok() {
			return "tokens for the challenge sent as verifier"
		}
		if r := h.exchange(pub, h.codeS256(pub, v), verifierP(pkce.S256(v)), method("plain")); r.ok() {
			return "tokens for the challenge sent as verifier with code_challenge_method=plain"
		}
		return ""
	}},
	{requirements.VerifierLength, func(h *harness) string {
		// 42 and 129; 299 (256 + 43); 129 characters of which three are the
		// escape %7E (127 once percent-decoded).
		for _, v := range []string{newVerifier(h.t, 42), newVerifier(h.t, 129), newVerifier(h.t, 299),
			newVerifier(h.t, 63) + "%7E" + newVerifier(h.t, 63)} {
			if r := h.exchange(pub, h.codeS256(pub, v), verifierP(v)); r.ok() {
				return fmt.Sprintf("tokens for a %d-character verifier", len(v))
			}
		}
		return ""
	}},
	{requirements.VerifierCharset, func(h *harness) string {
		base := newVerifier(h.t, 42)
		sent := []string{}
		for _, bad := range []string{" ", "+", "/", "=", "%", "é", "\n"} {
			sent = append(sent, base+bad)
		}
		// Sweeps: where the bad part sits and its shape.
		sent = append(sent, "+"+newVerifier(h.t, 63), newVerifier(h.t, 32)+":"+newVerifier(h.t, 31),
			newVerifier(h.t, 30)+"%41"+newVerifier(h.t, 31), newVerifier(h.t, 127)+"\t")
		for _, v := range sent {
			if r := h.exchange(pub, h.codeS256(pub, v), verifierP(v)); r.ok() {
				return fmt.Sprintf("tokens for a verifier %q", v)
			}
		}
		return ""
	}},
	{requirements.ChallengeMissing, func(h *harness) string {
		for name, extra := range map[string][][2]string{
			"no challenge":    nil,
			"empty challenge": {challenge("")},
			"empty with S256": {challenge(""), method("S256")},
		} {
			if r := h.mint(pub, extra...); r.Code != "" {
				return "code issued with " + name
			}
		}
		return ""
	}},
	{requirements.ChallengeFormat, func(h *harness) string {
		c := pkce.S256(newVerifier(h.t, 43))
		for name, bad := range map[string]string{
			"42 characters": c[:42],
			"padded":        c + "=",
			"plus":          "+" + c[1:],
			"slash":         "/" + c[1:],
			"non-ASCII":     c[:41] + "é",
			"hex digest":    strings.Repeat("ab", 32),
			"ending in ~":   c[:42] + "~",
			"leading space": " " + c,
		} {
			if r := h.mint(pub, challenge(bad), method("S256")); r.Code != "" {
				return "code issued for a challenge " + name
			}
		}
		return ""
	}},
	{requirements.MethodUnsupported, func(h *harness) string {
		c := pkce.S256(newVerifier(h.t, 43))
		for _, m := range []string{"S512", "s256", "SHA256", "S256 ", " S256", "S25", "S2566", "RS256"} {
			if r := h.mint(pub, challenge(c), method(m)); r.Code != "" {
				return fmt.Sprintf("code issued for method %q", m)
			}
		}
		return ""
	}},
	{requirements.ErrorIss, func(h *harness) string {
		r := h.mint(pub, challenge(pkce.S256(newVerifier(h.t, 43))), method("S512"))
		if r.Error != "" && r.Iss != h.srv.Issuer() && (r.Iss != "" || h.issAdvertised()) {
			return fmt.Sprintf("error redirect with iss %q", r.Iss)
		}
		return ""
	}},
	{requirements.MethodDefault, func(h *harness) string {
		// S256(V) is valid under both readings: which verifier redeems it?
		// The plain policy does not enter: plain-policy judges plain.
		issued := false
		v := newVerifier(h.t, 43)
		c := pkce.S256(v)
		if r := h.mint(pub, challenge(c)); r.Code != "" {
			issued = true
			if t := h.exchange(pub, r.Code, verifierP(v)); t.ok() {
				return "a challenge without method was verified as S256"
			}
			if t := h.exchange(pub, h.mustCode(pub, challenge(c)), verifierP(c)); !t.ok() {
				return "a challenge without method was not verified as plain"
			}
		}
		p := newVerifier(h.t, 64)
		if r := h.mint(pub, challenge(p)); r.Code != "" {
			issued = true
			if t := h.exchange(pub, r.Code, verifierP(p)); !t.ok() {
				return "a challenge without method was not verified as plain"
			}
		}
		if issued {
			if r := h.mint(pub, challenge(newVerifier(h.t, 64)), method("plain")); r.Code == "" {
				return "plain applied to an omitted method but refused by name"
			}
		}
		return ""
	}},
	{requirements.PlainPolicy, func(h *harness) string {
		if !h.plainAllowed {
			// Plain left implicit is plain too (RFC 7636 §4.3).
			p := newVerifier(h.t, 64)
			if r := h.mint(pub, challenge(p)); r.Code != "" {
				if t := h.exchange(pub, r.Code, verifierP(p)); t.ok() {
					return "plain applied to an omitted method under plain: forbidden"
				}
			}
		}
		v := newVerifier(h.t, 43)
		r := h.mint(pub, challenge(v), method("plain"))
		if r.Code == "" {
			return ""
		}
		if !h.plainAllowed {
			return "plain accepted under plain: forbidden"
		}
		if t := h.exchange(pub, r.Code, verifierP(v)); !t.ok() {
			return "plain accepted but the exact verifier does not redeem"
		}
		for _, wrong := range []string{newVerifier(h.t, 43), flipCase(v)} {
			if t := h.exchange(pub, h.mustCode(pub, challenge(v), method("plain")), verifierP(wrong)); t.ok() {
				return "plain code redeemed with a wrong verifier"
			}
		}
		return ""
	}},
	{requirements.ErrorResponse, func(h *harness) string {
		v := newVerifier(h.t, 43)
		for name, r := range map[string]tokenResult{
			"missing verifier": h.exchange(pub, h.codeS256(pub, v)),
			"wrong verifier":   h.exchange(pub, h.codeS256(pub, v), verifierP(newVerifier(h.t, 43))),
			"unknown code":     h.exchange(pub, "not-a-code", verifierP(v)),
		} {
			if r.ok() {
				continue // not an error; other probes judge it
			}
			if msg := checkTokenError(r); msg != "" {
				return name + ": " + msg
			}
		}
		// RFC 6749 §5.2: a 401 to a client that used HTTP Basic challenges
		// with Basic.
		wrong := cred{confBasic.id, "wrong-secret", confBasic.method}
		r := h.exchange(wrong, h.codeS256(confBasic, v), verifierP(v))
		if r.Status == http.StatusUnauthorized && !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic ") {
			return fmt.Sprintf("wrong client secret (Basic): 401 with WWW-Authenticate %q, want a Basic challenge", r.Header.Get("WWW-Authenticate"))
		}
		return ""
	}},
	{requirements.CodeSingleUse, func(h *harness) string {
		v := newVerifier(h.t, 43)
		code := h.codeS256(pub, v)
		if r := h.exchange(pub, code, verifierP(v)); !r.ok() {
			return "first redemption failed"
		}
		if r := h.exchange(pub, code, verifierP(v)); r.ok() {
			return "second redemption got tokens"
		}
		return ""
	}},
	{requirements.ReuseRevokes, func(h *harness) string {
		v := newVerifier(h.t, 43)
		code := h.codeS256(pub, v)
		first := h.exchange(pub, code, verifierP(v))
		if !first.ok() {
			return "first redemption failed"
		}
		_ = h.exchange(pub, code, verifierP(v))
		if st := h.userinfo(first.AccessToken); st == http.StatusOK {
			return "the first access token still works after the replay"
		}
		return ""
	}},
	{requirements.CodeRace, func(h *harness) string {
		v := newVerifier(h.t, 43)
		wins, statuses, err := h.race(h.codeS256(pub, v), v, 10)
		if err != nil {
			return err.Error()
		}
		if wins != 1 {
			return fmt.Sprintf("%d of 10 concurrent redemptions got tokens", wins)
		}
		for _, st := range statuses {
			if !h.lenient && st != http.StatusOK && st != http.StatusBadRequest {
				return fmt.Sprintf("a losing redemption was answered with %d", st)
			}
		}
		return ""
	}},
	{requirements.CodeClientBound, func(h *harness) string {
		for _, c := range []cred{other, confBasic} {
			v := newVerifier(h.t, 43)
			if r := h.exchange(c, h.codeS256(pub, v), verifierP(v)); r.ok() {
				return c.id + " redeemed another client's code"
			}
		}
		return ""
	}},
	{requirements.RedirectURIBound, func(h *harness) string {
		v := newVerifier(h.t, 43)
		code := h.codeS256(pub, v)
		changed := h.tokenCall(pub, [][2]string{{"grant_type", "authorization_code"}, {"code", code},
			redirectP("http://127.0.0.1:8765/other"), verifierP(v)})
		if changed.ok() {
			return "tokens for a changed redirect_uri"
		}
		code = h.codeS256(pub, v)
		extended := h.tokenCall(pub, [][2]string{{"grant_type", "authorization_code"}, {"code", code},
			redirectP(testRedirect + "/x"), verifierP(v)})
		if extended.ok() {
			return "tokens for a redirect_uri with a path segment appended"
		}
		code = h.codeS256(pub, v)
		if r := h.tokenCall(pub, [][2]string{{"grant_type", "authorization_code"}, {"code", code}, verifierP(v)}); r.ok() {
			return "tokens without redirect_uri"
		}
		return ""
	}},
	{requirements.NoStore, func(h *harness) string {
		v := newVerifier(h.t, 43)
		r := h.exchange(pub, h.codeS256(pub, v), verifierP(v))
		if !r.ok() {
			return "redemption failed"
		}
		if !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
			return "token response without Cache-Control: no-store"
		}
		return ""
	}},
	{requirements.DuplicateParams, func(h *harness) string {
		v1, v2 := newVerifier(h.t, 43), newVerifier(h.t, 43)
		if r := h.mint(pub, challenge(pkce.S256(v1)), challenge(pkce.S256(v2)), method("S256")); r.Code != "" {
			return "code issued for two challenges"
		}
		if r := h.mint(pub, challenge(pkce.S256(v1)), method("S256"), method("plain")); r.Code != "" {
			return "code issued for two methods"
		}
		for _, order := range [][2]string{{v2, v1}, {v1, v2}} {
			r := h.exchange(pub, h.codeS256(pub, v1), verifierP(order[0]), verifierP(order[1]))
			if r.ok() {
				return "tokens for two verifiers"
			}
		}
		return ""
	}},
	{requirements.Downgrade, func(h *harness) string {
		for _, c := range []cred{confBasic, pub} {
			for name, extra := range map[string][][2]string{"no code_challenge": nil, "code_challenge=": {challenge("")}} {
				r := h.mint(c, extra...)
				if r.Code == "" {
					continue // PKCE required: nothing to downgrade
				}
				if t := h.exchange(c, r.Code, verifierP(newVerifier(h.t, 43))); t.ok() {
					return c.id + ": tokens for a verifier on a code issued with " + name
				}
			}
		}
		return ""
	}},
	{requirements.PKCEPerAuthMethod, func(h *harness) string {
		for _, c := range []cred{pub, confBasic, confPost, confJWT} {
			v := newVerifier(h.t, 43)
			if r := h.exchange(c, h.codeS256(c, v), verifierP(v)); !r.ok() {
				return fmt.Sprintf("%s (%s): the right verifier was refused: %d %s", c.id, c.method, r.Status, r.Error)
			}
			for name, extra := range map[string][][2]string{
				"no verifier":    nil,
				"wrong verifier": {verifierP(newVerifier(h.t, 43))},
			} {
				if r := h.exchange(c, h.codeS256(c, newVerifier(h.t, 43)), extra...); r.ok() {
					return fmt.Sprintf("%s (%s): tokens with %s", c.id, c.method, name)
				}
			}
			if r := h.mint(c); r.Code != "" {
				if t := h.exchange(c, r.Code, verifierP(newVerifier(h.t, 43))); t.ok() {
					return fmt.Sprintf("%s (%s): tokens for a verifier on a code without challenge", c.id, c.method)
				}
			}
		}
		return ""
	}},
	{requirements.ConfidentialPKCE, func(h *harness) string {
		for _, c := range []cred{confBasic} {
			for name, extra := range map[string][][2]string{
				"no verifier":    nil,
				"empty verifier": {verifierP("")},
				"wrong verifier": {verifierP(newVerifier(h.t, 43))},
			} {
				v := newVerifier(h.t, 43)
				if r := h.exchange(c, h.codeS256(c, v), extra...); r.ok() {
					return fmt.Sprintf("%s (%s): tokens with %s", c.id, c.method, name)
				}
			}
			// A failed attempt must not unbind the code from its challenge.
			v := newVerifier(h.t, 43)
			code := h.codeS256(c, v)
			h.exchange(c, code, verifierP(newVerifier(h.t, 43)))
			if r := h.exchange(c, code); r.ok() {
				return fmt.Sprintf("%s (%s): tokens without a verifier after a failed attempt", c.id, c.method)
			}
		}
		return ""
	}},
	{requirements.MethodWithoutChallenge, func(h *harness) string {
		for _, c := range []cred{pub, confBasic} {
			for name, extra := range map[string][][2]string{
				"S256 without challenge":       {method("S256")},
				"S256 with an empty challenge": {challenge(""), method("S256")},
			} {
				if r := h.mint(c, extra...); r.Code != "" {
					return fmt.Sprintf("%s: code issued for %s", c.id, name)
				}
			}
		}
		return ""
	}},
	{requirements.OAuth21MethodRequired, func(h *harness) string {
		if !h.oauth21 {
			return ""
		}
		if r := h.mint(pub, challenge(pkce.S256(newVerifier(h.t, 43)))); r.Code != "" {
			return "code issued for a challenge without method"
		}
		return ""
	}},
	{requirements.OAuth21PlainProhibited, func(h *harness) string {
		if !h.oauth21 {
			return ""
		}
		if contains(h.advertised(), "plain") {
			return "plain advertised"
		}
		if r := h.mint(pub, challenge(newVerifier(h.t, 43)), method("plain")); r.Code != "" {
			return "code issued for plain"
		}
		return ""
	}},
	{requirements.IssRequired, func(h *harness) string {
		if !h.oauth21 && !h.issAdvertised() {
			return ""
		}
		if r := h.mint(pub, s256Params(newVerifier(h.t, 43))...); r.Iss != h.srv.Issuer() {
			return fmt.Sprintf("code redirect with iss %q", r.Iss)
		}
		if r := h.mint(pub, challenge(pkce.S256(newVerifier(h.t, 43))), method("S512")); r.Iss != h.srv.Issuer() {
			return fmt.Sprintf("error redirect with iss %q", r.Iss)
		}
		return ""
	}},
	{requirements.ChallengeNotEchoed, func(h *harness) string {
		c := pkce.S256(newVerifier(h.t, 43))
		r := h.mint(pub, challenge(c), method("S256"))
		u, err := url.Parse(r.Location)
		if err != nil {
			return "unparsable redirect"
		}
		for name, vs := range u.Query() {
			for _, v := range vs {
				decoded, _ := base64.RawURLEncoding.DecodeString(v)
				if strings.Contains(v, c) || strings.Contains(string(decoded), c) {
					return "the challenge is in parameter " + name
				}
			}
		}
		return ""
	}},
	{requirements.PARPKCEValidated, func(h *harness) string {
		c := pkce.S256(newVerifier(h.t, 43))
		for name, extra := range map[string][][2]string{
			"no challenge":   nil,
			"method S512":    {challenge(c), method("S512")},
			"plain":          {challenge(newVerifier(h.t, 43)), method("plain")},
			"two challenges": {challenge(c), challenge(pkce.S256(newVerifier(h.t, 43))), method("S256")},
		} {
			uri, status, e := h.push(pub, extra...)
			if uri != "" && h.mint(pub, extra...).Code != "" {
				continue // /authorize accepts it too: judged by the /authorize requirements
			}
			if uri != "" || status != http.StatusBadRequest || e != "invalid_request" {
				return fmt.Sprintf("pushed request with %s: status %d error %q request_uri %t", name, status, e, uri != "")
			}
		}
		return ""
	}},
	{requirements.PARRequestURIOnce, func(h *harness) string {
		v := newVerifier(h.t, 43)
		uri, status, _ := h.push(pub, s256Params(v)...)
		if uri == "" {
			return fmt.Sprintf("a valid pushed request was refused (%d)", status)
		}
		if r := h.mintPushed(pub.id, uri); r.Code == "" {
			return "no code for a fresh request_uri"
		}
		if r := h.mintPushed(pub.id, uri); r.Code != "" {
			return "a second code for one request_uri"
		}
		return ""
	}},
	{requirements.PARClientBound, func(h *harness) string {
		uri, _, _ := h.push(pub, s256Params(newVerifier(h.t, 43))...)
		if r := h.mintPushed(other.id, uri); r.Code != "" {
			return "a code for another client's request_uri"
		}
		return ""
	}},
	{requirements.PARFrontChannelOverride, func(h *harness) string {
		v1, v2 := newVerifier(h.t, 43), newVerifier(h.t, 43)
		uri, _, _ := h.push(pub, s256Params(v1)...)
		if r := h.mintPushed(pub.id, uri, s256Params(v2)...); r.Code != "" {
			if t := h.exchange(pub, r.Code, verifierP(v2)); t.ok() {
				return "the front-channel challenge replaced the pushed one"
			}
		}
		uri, _, _ = h.push(pub, s256Params(v1)...)
		if r := h.mintPushed(pub.id, uri, method("plain")); r.Code != "" {
			if t := h.exchange(pub, r.Code, verifierP(pkce.S256(v1))); t.ok() {
				// Unless the challenge redeems any S256 code (method-bound's business).
				control, _, _ := h.push(pub, s256Params(v1)...)
				if c := h.mintPushed(pub.id, control); c.Code == "" || !h.exchange(pub, c.Code, verifierP(pkce.S256(v1))).ok() {
					return "the front-channel method plain replaced the pushed S256"
				}
			}
		}
		return ""
	}},
	{requirements.MethodsAdvertised, func(h *harness) string {
		methods := h.advertised()
		if !contains(methods, "S256") {
			return "S256 not advertised"
		}
		v := newVerifier(h.t, 43)
		if r := h.mint(pub, challenge(v), method("plain")); r.Code != "" && !contains(methods, "plain") {
			return "plain accepted but not advertised"
		}
		return ""
	}},
}

// probeRoundtrip redeems codes with 43- and 128-character verifiers over the
// full unreserved charset.
func probeRoundtrip(h *harness) string {
	long := newVerifier(h.t, 124) + "-._~"
	for _, v := range []string{newVerifier(h.t, 43), long} {
		if r := h.exchange(pub, h.codeS256(pub, v), verifierP(v)); !r.ok() {
			return fmt.Sprintf("%d-character verifier refused: %d %s", len(v), r.Status, r.Error)
		}
	}
	return ""
}

// probeMismatch sends wrong verifiers, and the right verifier against
// near-miss challenges.
func probeMismatch(h *harness) string {
	v := newVerifier(h.t, 43)
	v64 := newVerifier(h.t, 64)
	if r := h.exchange(pub, h.codeS256(pub, v64), verifierP(v64+"a")); r.ok() {
		return "tokens for a 64-character verifier extended by one character"
	}
	for name, wrong := range map[string]string{
		"random":         newVerifier(h.t, 43),
		"last changed":   v[:42] + otherChar(v[42]),
		"case flipped":   flipCase(v),
		"extended":       v + "a",
		"truncated (42)": v[:42],
	} {
		r := h.exchange(pub, h.codeS256(pub, v), verifierP(wrong))
		if r.ok() {
			return "tokens for a " + name + " verifier"
		}
		if !h.lenient && wrong != v[:42] && wrong != v && r.Error != "invalid_grant" {
			return fmt.Sprintf("%s verifier answered %q, want invalid_grant", name, r.Error)
		}
	}
	c := pkce.S256(v)
	for name, near := range map[string]string{
		"one late character": c[:41] + otherChar(c[41]) + c[42:],
		"letter case":        flipCase(c[:42]) + c[42:],
	} {
		if near == c {
			continue
		}
		code := h.mustCode(pub, challenge(near), method("S256"))
		if r := h.exchange(pub, code, verifierP(v)); r.ok() {
			return "tokens against a challenge differing in " + name
		}
	}
	return ""
}

// race redeems code n times at once, released by a barrier. It returns the
// number of successes and every status.
func (h *harness) race(code, v string, n int) (int, []int, error) {
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect},
		"code_verifier": {v}, "client_id": {PublicClientID},
	}.Encode()
	var (
		wg       sync.WaitGroup
		barrier  = make(chan struct{})
		mu       sync.Mutex
		wins     int
		statuses []int
		firstErr error
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-barrier
			resp, err := apiClient.Post(h.srv.Issuer()+"/token", "application/x-www-form-urlencoded", strings.NewReader(form))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("concurrent redemption: %w", err)
				}
				return
			}
			defer resp.Body.Close()
			var body map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&body)
			statuses = append(statuses, resp.StatusCode)
			if tok, _ := body["access_token"].(string); resp.StatusCode == http.StatusOK && tok != "" {
				wins++
			}
		}()
	}
	close(barrier)
	wg.Wait()
	return wins, statuses, firstErr
}

// registeredErrors are the RFC 6749 §5.2 error codes.
var registeredErrors = map[string]bool{
	"invalid_request": true, "invalid_client": true, "invalid_grant": true,
	"unauthorized_client": true, "unsupported_grant_type": true, "invalid_scope": true,
}

// checkTokenError describes what is wrong with a token error response.
func checkTokenError(r tokenResult) string {
	switch {
	case r.Status != http.StatusBadRequest && !(r.Status == http.StatusUnauthorized && r.Error == "invalid_client"):
		return fmt.Sprintf("status %d for %s", r.Status, r.Error)
	case !strings.HasPrefix(r.ContentType, "application/json"):
		return "content type " + r.ContentType
	case !registeredErrors[r.Error]:
		return fmt.Sprintf("unregistered error %q", r.Error)
	}
	if d, _ := r.JSON["error_description"].(string); strings.ContainsAny(d, "\"\\") {
		return fmt.Sprintf("error_description %q has characters RFC 6749 §5.2 does not allow", d)
	}
	return ""
}

// issAdvertised returns authorization_response_iss_parameter_supported.
func (h *harness) issAdvertised() bool {
	h.t.Helper()
	_, body := h.get(apiClient, h.srv.Issuer()+"/.well-known/openid-configuration")
	var m struct {
		Iss bool `json:"authorization_response_iss_parameter_supported"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		h.t.Fatalf("decode metadata: %v", err)
	}
	return m.Iss
}

// advertised returns code_challenge_methods_supported.
func (h *harness) advertised() []string {
	h.t.Helper()
	_, body := h.get(apiClient, h.srv.Issuer()+"/.well-known/openid-configuration")
	var m struct {
		Methods []string `json:"code_challenge_methods_supported"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		h.t.Fatalf("decode metadata: %v", err)
	}
	return m.Methods
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// flipCase swaps the case of every ASCII letter.
func flipCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c >= 'A' && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}

// otherChar returns a base64url character different from c.
func otherChar(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
