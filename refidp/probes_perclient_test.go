package refidp

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// The per-client rule of docs/design.md in the self-test: the probes of the
// requirements whose outcome can depend on the client run for each client
// (and, at the token and PAR endpoints, each authentication method), as the
// suites do. Most extend the public client's probe of probes_test.go (which
// runs first); those whose public probe cannot tell a client the endpoint
// does not serve (PAR, refresh tokens) replace it. probes16_test.go's init
// runs before this file's: files initialise in name order.
func init() {
	for _, p := range []probe{
		{requirements.DuplicateParams, probeDuplicatesOthers},
		{requirements.CodeSingleUse, probeSingleUseOthers},
		{requirements.CodeRace, probeRaceConfidential},
		{requirements.RedirectURIBound, probeRedirectOthers},
	} {
		changeProbe(p, true)
	}
	for _, p := range []probe{
		{requirements.PARPKCEValidated, probePARValidatedPerClient},
		{requirements.PARRequestURIOnce, probePAROncePerClient},
		{requirements.RefreshAfterPKCE, probeRefreshPerClient},
		{requirements.ReplayRevokesRefresh, probeReplayRefreshPerClient},
	} {
		changeProbe(p, false)
	}
}

// changeProbe runs p after the probe of p.id (extend) or instead of it; a
// probe it does not find is a bug in this file.
func changeProbe(p probe, extend bool) {
	for i := range probes {
		if probes[i].id != p.id {
			continue
		}
		if orig, more := probes[i].run, p.run; extend {
			p.run = func(h *harness) string {
				if msg := orig(h); msg != "" {
					return msg
				}
				return more(h)
			}
		}
		probes[i] = probe{p.id, p.run}
		return
	}
	panic("no probe for " + string(p.id))
}

// Clients of the per-client probes: at /authorize the client counts; at
// the token and PAR endpoints its authentication method too.
var (
	frontCreds = []cred{pub, confBasic}
	allCreds   = []cred{pub, confBasic, confPost, confJWT}
)

// others are the clients and methods besides the public client's.
var others = allCreds[1:]

func probeDuplicatesOthers(h *harness) string {
	for _, c := range frontCreds[1:] {
		v1, v2 := newVerifier(h.t, 43), newVerifier(h.t, 43)
		if r := h.mint(c, challenge(pkce.S256(v1)), challenge(pkce.S256(v2)), method("S256")); r.Code != "" {
			return c.id + ": code issued for two challenges"
		}
		if r := h.mint(c, challenge(pkce.S256(v1)), method("S256"), method("plain")); r.Code != "" {
			return c.id + ": code issued for two methods"
		}
	}
	for _, c := range others {
		v1, v2 := newVerifier(h.t, 43), newVerifier(h.t, 43)
		for _, order := range [][2]string{{v2, v1}, {v1, v2}} {
			r := h.exchange(c, h.codeS256(c, v1), verifierP(order[0]), verifierP(order[1]))
			switch {
			case r.ok():
				return c.id + "/" + c.method + ": tokens for two verifiers"
			case r.Status >= 500:
				return fmt.Sprintf("%s/%s: HTTP %d for two verifiers", c.id, c.method, r.Status)
			}
		}
	}
	return ""
}

// canPush reports whether the PAR endpoint authenticates c (a valid push is
// not answered with 401).
func (h *harness) canPush(c cred) bool {
	_, status, _ := h.push(c, s256Params(newVerifier(h.t, 43))...)
	return status != http.StatusUnauthorized
}

func probePARValidatedPerClient(h *harness) string {
	for _, c := range allCreds {
		if !h.canPush(c) {
			continue // skipped for this client
		}
		ch := pkce.S256(newVerifier(h.t, 43))
		for name, extra := range map[string][][2]string{
			"no challenge":   nil,
			"method S512":    {challenge(ch), method("S512")},
			"plain":          {challenge(newVerifier(h.t, 43)), method("plain")},
			"two challenges": {challenge(ch), challenge(pkce.S256(newVerifier(h.t, 43))), method("S256")},
		} {
			uri, status, e := h.push(c, extra...)
			if uri != "" && h.mint(c, extra...).Code != "" {
				continue // /authorize accepts it too: judged by the /authorize requirements
			}
			if uri != "" || status != http.StatusBadRequest || e != "invalid_request" {
				return fmt.Sprintf("%s/%s: pushed request with %s: status %d error %q request_uri %t", c.id, c.method, name, status, e, uri != "")
			}
		}
	}
	return ""
}

func probePAROncePerClient(h *harness) string {
	for _, c := range frontCreds {
		v := newVerifier(h.t, 43)
		uri, status, _ := h.push(c, s256Params(v)...)
		switch {
		case status == http.StatusUnauthorized:
			continue
		case uri == "":
			return fmt.Sprintf("%s: a valid pushed request was refused (%d)", c.id, status)
		}
		if r := h.mintPushed(c.id, uri); r.Code == "" {
			return c.id + ": no code for a fresh request_uri"
		}
		if r := h.mintPushed(c.id, uri); r.Code != "" {
			return c.id + ": a second code for one request_uri"
		}
	}
	return ""
}

// refreshToken redeems a fresh code of c and returns the code, its verifier
// and the refresh token ("" when none was issued).
func (h *harness) refreshToken(c cred) (code, v, rt string) {
	v = newVerifier(h.t, 43)
	code = h.codeS256(c, v)
	first := h.exchange(c, code, verifierP(v))
	rt, _ = first.JSON["refresh_token"].(string)
	return code, v, rt
}

func probeRefreshPerClient(h *harness) string {
	got := 0
	for _, c := range []cred{pub, confBasic} {
		_, _, rt := h.refreshToken(c)
		if rt == "" {
			continue // skipped for this client
		}
		got++
		if r := h.refresh(c, rt); !r.ok() {
			return fmt.Sprintf("%s: refresh refused: %d %s", c.id, r.Status, r.Error)
		}
	}
	if got == 0 {
		return "no refresh token for any client"
	}
	return ""
}

func probeReplayRefreshPerClient(h *harness) string {
	for _, c := range []cred{pub, confBasic} {
		code, v, rt := h.refreshToken(c)
		if rt == "" {
			continue
		}
		if r := h.refresh(c, rt); r.ok() {
			rt, _ = r.JSON["refresh_token"].(string)
		}
		h.exchange(c, code, verifierP(v))
		if r := h.refresh(c, rt); r.ok() {
			return c.id + ": the latest refresh token works after the code was replayed"
		}
	}
	return ""
}

func probeSingleUseOthers(h *harness) string {
	for _, c := range others {
		v := newVerifier(h.t, 43)
		code := h.codeS256(c, v)
		if r := h.exchange(c, code, verifierP(v)); !r.ok() {
			return c.id + "/" + c.method + ": first redemption failed"
		}
		if r := h.exchange(c, code, verifierP(v)); r.ok() {
			return c.id + "/" + c.method + ": second redemption got tokens"
		}
	}
	return ""
}

func probeRaceConfidential(h *harness) string {
	v := newVerifier(h.t, 43)
	// The confidential client, through the harness's authenticated calls.
	code := h.codeS256(confBasic, v)
	var mu sync.Mutex
	var wg sync.WaitGroup
	wins := 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h.exchange(confBasic, code, verifierP(v)).ok() {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		return fmt.Sprintf("%s: %d of 10 concurrent redemptions got tokens", confBasic.id, wins)
	}
	return ""
}

func probeRedirectOthers(h *harness) string {
	for _, c := range others {
		v := newVerifier(h.t, 43)
		for name, ru := range map[string]string{
			"a changed redirect_uri":                      "http://127.0.0.1:8765/other",
			"a redirect_uri with a path segment appended": testRedirect + "/x",
		} {
			r := h.tokenCall(c, [][2]string{{"grant_type", "authorization_code"}, {"code", h.codeS256(c, v)}, redirectP(ru), verifierP(v)})
			if r.ok() {
				return c.id + "/" + c.method + ": tokens for " + name
			}
		}
		if r := h.tokenCall(c, [][2]string{{"grant_type", "authorization_code"}, {"code", h.codeS256(c, v)}, verifierP(v)}); r.ok() {
			return c.id + "/" + c.method + ": tokens without redirect_uri"
		}
	}
	return ""
}

// TestPerClientOptionsPassEveryProbe: the clean server that serves PAR and
// refresh tokens to confidential clients only violates nothing, probed per
// client; and the public client is indeed refused at PAR and given no
// refresh token (so the probes did skip it).
func TestPerClientOptionsPassEveryProbe(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.PARConfidentialOnly, c.RefreshConfidentialOnly = true, true })
	for id, msg := range runProbes(h) {
		t.Errorf("%s violated: %s", id, msg)
	}
	if _, status, e := h.push(pub, s256Params(newVerifier(t, 43))...); status != http.StatusUnauthorized || e != "invalid_client" {
		t.Errorf("public client at PAR: %d %q, want 401 invalid_client", status, e)
	}
	if _, _, rt := h.refreshToken(pub); rt != "" {
		t.Error("the public client got a refresh token")
	}
	if _, _, rt := h.refreshToken(confBasic); rt == "" {
		t.Error("the confidential client got no refresh token")
	}
}
