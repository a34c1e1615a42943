package repro

import (
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/results"
)

// Step kinds.
const (
	kindAuthorize = iota // an authorization request: a pkcecheck code line
	kindHTTP             // a request curl replays
	kindNote             // a request that got no answer: named only
)

// step is one recorded exchange, parsed.
type step struct {
	kind  int
	ev    results.Evidence
	req   request
	codes []int // token request: the probe's code numbers its code parameters carry
	mints int   // authorization: the probe's code number it obtained (0: none)
}

// mint is an authorization request of the probe as a pkcecheck code line.
type mint struct {
	step   int      // index into the steps
	n      int      // the variable's number ($CODE, $CODE_2, ...); 0 when no code came back
	flags  []string // pkcecheck code's flags after --profile, quoted
	pinned bool     // the code is bound to the recorded challenge
	// free is set when the code may carry any fresh S256 (or plain)
	// challenge: the right verifier is then $CODE_VERIFIER_n.
	free      bool
	challenge string
	method    string
	manual    string // why the authorization cannot be done by pkcecheck code ("" = it can)
}

// parseSteps parses the exchanges and numbers the codes.
func parseSteps(exs []results.Evidence) []step {
	var steps []step
	minted := 0 // the last code number assigned
	for _, ev := range exs {
		s := step{ev: ev, kind: kindNote}
		req, ok := parseRequest(ev.Request)
		switch {
		case !ok:
		case isAuthorization(req, ev):
			s.kind, s.req = kindAuthorize, req
			if ev.Replay != nil && ev.Replay.Mints > 0 {
				s.mints = ev.Replay.Mints
			} else if strings.Contains(answer(ev.Response), "a code was issued") {
				s.mints = minted + 1
			}
			minted = max(minted, s.mints)
		case req.method == "POST" && !req.hasBody:
		default:
			s.kind, s.req = kindHTTP, req
			masked := 0
			for _, p := range req.body {
				if p.name == "code" && p.masked {
					masked++
				}
			}
			if ev.Replay != nil && len(ev.Replay.Codes) == masked {
				s.codes = ev.Replay.Codes
			} else {
				for range masked {
					s.codes = append(s.codes, max(minted, 1))
				}
			}
		}
		steps = append(steps, s)
	}
	return steps
}

// isAuthorization says whether a request is an authorization request: a
// GET whose answer is a redirect or an error page, or that carries the
// parameters of one.
func isAuthorization(r request, ev results.Evidence) bool {
	if r.method != "GET" {
		return false
	}
	if ev.Replay != nil && ev.Replay.Mints > 0 {
		return true
	}
	if strings.HasPrefix(ev.Response, "redirect to ") || strings.HasPrefix(ev.Response, "error page ") {
		return true
	}
	q := query(r.url)
	return len(all(q, "response_type")) > 0 || len(all(q, "request_uri")) > 0
}

// ownParams are the authorization parameters pkcecheck code sets itself.
var ownParams = map[string]bool{
	"response_type": true, "client_id": true, "redirect_uri": true, "scope": true, "state": true,
	"nonce": true, "code_challenge": true, "code_challenge_method": true, "response_mode": true,
}

// planMints turns each authorization request into a pkcecheck code line.
func planMints(f Finding, steps []step) []mint {
	var mints []mint
	n := 0
	standard := map[string]bool{}
	for _, s := range f.Standard {
		standard[s] = true
	}
	for i, s := range steps {
		if s.kind != kindAuthorize {
			continue
		}
		m := mint{step: i}
		if s.mints > 0 {
			n++
			m.n = n
		}
		q := query(s.req.url)
		client := first(all(q, "client_id"))
		m.flags = append(m.flags, "--client", Quote(client))
		challenges, methods := all(q, "code_challenge"), all(q, "code_challenge_method")
		var extra []string
		switch {
		case len(all(q, "request_uri")) > 0:
			m.manual = "it carries a request_uri from a pushed authorization request: open it in a browser"
		case len(challenges) > 1 || len(methods) > 1 || (len(challenges) == 0 && len(methods) == 1):
			m.flags = append(m.flags, "--method", "none")
			for _, kv := range q {
				if kv[0] == "code_challenge" || kv[0] == "code_challenge_method" {
					extra = append(extra, "--param", Quote(kv[0]+"="+kv[1]))
				}
			}
			m.pinned = true
		case len(challenges) == 0:
			m.flags = append(m.flags, "--method", "none")
		default:
			m.challenge, m.method = challenges[0], first(methods)
			if m.method == "" {
				m.method = "none"
			}
			// A code no token request sends is there for its challenge
			// (another flow's verifier is sent): it keeps the challenge.
			used := redeemed(steps, s.mints) || !anyToken(steps)
			m.free = s.mints > 0 && used && freeChallenge(m.challenge, m.method) && rightOnly(steps, s.mints, m.challenge, m.method)
			if !m.free {
				m.flags = append(m.flags, "--challenge", Quote(m.challenge))
				m.pinned = true
			}
			m.flags = append(m.flags, "--method", Quote(m.method))
		}
		if rm := first(all(q, "response_mode")); rm != "" {
			m.flags = append(m.flags, "--response-mode", Quote(rm))
		} else if strings.Contains(first(all(q, "response_type")), " ") {
			m.flags = append(m.flags, "--response-mode", "fragment")
		}
		if ru := first(all(q, "redirect_uri")); ru != "" && f.RedirectURIs != nil && f.RedirectURIs[client] != "" && f.RedirectURIs[client] != ru {
			m.flags = append(m.flags, "--redirect-uri", Quote(ru))
		}
		for _, kv := range q {
			if !ownParams[kv[0]] && !standard[kv[0]] && kv[0] != "request_uri" {
				extra = append(extra, "--param", Quote(kv[0]+"="+kv[1]))
			}
		}
		m.flags = append(m.flags, extra...)
		if m.n > 1 {
			m.flags = append(m.flags, "--index", itoa(m.n))
		}
		mints = append(mints, m)
	}
	return mints
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// freeChallenge says whether pkcecheck code can stand in a fresh challenge
// of its own for c: a well-formed S256 challenge, or a plain one of 43
// characters (the length of the verifiers it makes).
func freeChallenge(c, method string) bool {
	switch method {
	case pkce.MethodS256:
		return pkce.ValidateChallenge(c, method) == nil && pkce.CanonicalS256(c)
	case pkce.MethodPlain:
		return len(c) == 43 && pkce.ValidateVerifier(c) == nil
	}
	return false
}

// rightOnly says whether every token request for code n sends no
// code_verifier, an empty one, or the right one of 43 characters (what
// pkcecheck code's verifiers are): then a fresh code and $CODE_VERIFIER_n
// replay the probe. Any other verifier only means the same against the
// recorded challenge.
func rightOnly(steps []step, n int, challenge, method string) bool {
	for _, s := range steps {
		if s.kind != kindHTTP || !carries(s, n) {
			continue
		}
		for _, v := range s.req.param("code_verifier") {
			if v != "" && !isRight(v, challenge, method) {
				return false
			}
		}
	}
	return true
}

// isRight says whether v is a valid 43-character verifier of challenge.
func isRight(v, challenge, method string) bool {
	if len(v) != 43 || pkce.ValidateVerifier(v) != nil {
		return false
	}
	c, err := pkce.Challenge(v, method)
	return err == nil && c == challenge
}

// carries says whether a token step sends code n.
func carries(s step, n int) bool {
	for _, c := range s.codes {
		if c == n {
			return true
		}
	}
	return false
}

// redeemed says whether a token request sends code n.
func redeemed(steps []step, n int) bool {
	for _, s := range steps {
		if s.kind == kindHTTP && carries(s, n) {
			return true
		}
	}
	return false
}

// anyToken says whether the probe sent any code to a token endpoint.
func anyToken(steps []step) bool {
	for _, s := range steps {
		if s.kind == kindHTTP && len(s.codes) > 0 {
			return true
		}
	}
	return false
}
