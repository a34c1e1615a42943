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

// mint is an authorization request of the probe as a pkcecheck code line,
// or a pushed authorization request (RFC 9126) whose request_uri a later
// authorization uses (push set: the line prints REQUEST_URI).
type mint struct {
	push   bool
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
	uriVars := map[string]string{} // a pushed request_uri -> its variable
	pushes := 0
	for i, s := range steps {
		if s.kind == kindHTTP {
			if uri := pushedURI(s); uri != "" && usedLater(steps[i+1:], uri) {
				pushes++
				uriVars[uri] = CodeVar("REQUEST_URI", pushes)
				mints = append(mints, pushMint(f, i, s, pushes))
			}
			continue
		}
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
		switch uri := first(all(q, "request_uri")); {
		case uri != "" && uriVars[uri] != "":
			// The front channel of a pushed request: client_id, the
			// request_uri and whatever else the probe added, as sent.
			m.flags = append(m.flags, "--request-uri", `"$`+uriVars[uri]+`"`)
			for _, kv := range q {
				if kv[0] != "client_id" && kv[0] != "request_uri" {
					m.flags = append(m.flags, "--param", Quote(kv[0]+"="+kv[1]))
				}
			}
			m.pinned = true
			if m.n > 1 {
				m.flags = append(m.flags, "--index", itoa(m.n))
			}
			mints = append(mints, m)
			continue
		case uri != "":
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

// pushedURI is the request_uri a pushed authorization request got (its
// body carries response_type, its answer a request_uri); "" otherwise.
func pushedURI(s step) string {
	if len(s.req.param("response_type")) == 0 {
		return ""
	}
	return jsonMember(s.ev.Response, "request_uri")
}

// usedLater says whether an authorization request among steps sends uri.
func usedLater(steps []step, uri string) bool {
	for _, s := range steps {
		if s.kind == kindAuthorize && first(all(query(s.req.url), "request_uri")) == uri {
			return true
		}
	}
	return false
}

// pushMint is the pkcecheck code --push line of a pushed request: its
// client and PKCE parameters as recorded (the challenge kept), the other
// parameters pkcecheck code does not set itself as --param.
func pushMint(f Finding, i int, s step, k int) mint {
	m := mint{step: i, push: true, pinned: true}
	client := first(s.req.param("client_id"))
	if client == "" && s.ev.Replay != nil {
		client = s.ev.Replay.ClientID
	}
	m.flags = append(m.flags, "--push", "--client", Quote(client))
	challenges, methods := s.req.param("code_challenge"), s.req.param("code_challenge_method")
	switch {
	case len(challenges) == 1 && len(methods) <= 1:
		method := first(methods)
		if method == "" {
			method = "none"
		}
		m.flags = append(m.flags, "--challenge", Quote(challenges[0]), "--method", Quote(method))
	default:
		m.flags = append(m.flags, "--method", "none")
		for _, p := range s.req.body {
			if p.name == "code_challenge" || p.name == "code_challenge_method" {
				m.flags = append(m.flags, "--param", Quote(p.name+"="+p.value()))
			}
		}
	}
	standard := map[string]bool{}
	for _, name := range f.Standard {
		standard[name] = true
	}
	for _, p := range s.req.body {
		if !ownParams[p.name] && !standard[p.name] && !p.masked && !clientAuthParams[p.name] {
			m.flags = append(m.flags, "--param", Quote(p.name+"="+p.value()))
		}
	}
	if k > 1 {
		m.flags = append(m.flags, "--index", itoa(k))
	}
	return m
}

// clientAuthParams are the body parameters of client authentication,
// which pkcecheck code adds itself.
var clientAuthParams = map[string]bool{"client_id": true, "client_secret": true, "client_assertion": true, "client_assertion_type": true}
