package repro

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
)

// Script writes the reproducer of f: a POSIX sh script.
func Script(f Finding) string {
	steps := parseSteps(f.Exchanges)
	mints := planMints(f, steps)
	w := &writer{f: f, steps: steps, mints: mints, varOf: map[int]int{}, mintOf: map[int]*mint{}}
	for i := range mints {
		m := &mints[i]
		if m.n > 0 {
			w.varOf[steps[m.step].mints] = m.n
			w.mintOf[steps[m.step].mints] = m
		}
	}
	return w.write()
}

// Curl renders one recorded request as a curl command: its code
// parameters as $CODE, $CODE_2, ... (by Replay.Codes), secrets as
// $CLIENT_SECRET and $CLIENT_ASSERTION, other values exactly as sent.
func Curl(ev results.Evidence) string {
	steps := parseSteps([]results.Evidence{ev})
	w := &writer{steps: steps, varOf: map[int]int{}, mintOf: map[int]*mint{}, captured: map[string]bool{}}
	if steps[0].kind != kindHTTP {
		return ""
	}
	return w.curl(steps[0])
}

// writer holds what one script is written from.
type writer struct {
	f      Finding
	steps  []step
	mints  []mint
	varOf  map[int]int   // the probe's code number -> the variable's number
	mintOf map[int]*mint // the probe's code number -> its authorization
	b      strings.Builder
	// needs are the variables the caller must set, in order; captured are
	// the tokens an earlier response of the script itself provides.
	needs    []string
	captured map[string]bool
	asserts  int // $CLIENT_ASSERTION_n used so far
}

func (w *writer) line(format string, args ...any) { fmt.Fprintf(&w.b, format+"\n", args...) }

func (w *writer) need(v string) string {
	for _, n := range w.needs {
		if n == v {
			return v
		}
	}
	w.needs = append(w.needs, v)
	return v
}

// profile is the profile path the pkcecheck code lines name.
func (w *writer) profile() string {
	if w.f.Profile == "" {
		return "PROFILE"
	}
	return Quote(w.f.Profile)
}

// codeLine is the command that obtains m's code.
func (w *writer) codeLine(m mint) string {
	return "pkcecheck code --profile " + w.profile() + " " + strings.Join(m.flags, " ")
}

func (w *writer) write() string {
	f := w.f
	w.body() // first: it decides the variables needed
	body := w.b.String()
	w.b.Reset()
	w.line("#!/bin/sh")
	w.line("# pkcecheck reproducer: %s (%s, %s): %s", f.ID, f.Level, f.Source, f.Status)
	w.b.WriteString(comment("# ", "A conforming server: "+f.Text))
	if f.Passes != "" {
		w.b.WriteString(comment("#   ", "("+f.Passes+")"))
	}
	w.b.WriteString(comment("# ", "Probe: "+f.Probe))
	w.b.WriteString(comment("# ", "This server: "+f.Observed))
	if len(f.Others) > 0 {
		w.b.WriteString(comment("# ", fmt.Sprintf("%d more failing probe(s), in the report's evidence: %s", len(f.Others), strings.Join(f.Others, "; "))))
	}
	w.line("#")
	var lines []string
	for _, m := range w.mints {
		if (m.n > 0 || m.push) && m.manual == "" {
			lines = append(lines, `eval "$(`+w.codeLine(m)+`)"`)
		}
	}
	if len(lines) > 0 {
		w.line("# First obtain fresh codes (pkcecheck logs in and prints CODE=..., CODE_VERIFIER=..., CODE_CHALLENGE=...):")
		for _, l := range lines {
			w.b.WriteString(comment("#   ", l))
		}
		w.line("# or open each authorization URL below in a browser, log in, and set CODE to the code parameter of the redirect.")
	}
	if w.usesSecret() {
		w.line("# Set CLIENT_SECRET to the client secret (client_secret_basic: form-urlencoded, as RFC 6749 §2.3.1 sends it).")
	}
	if w.asserts > 0 {
		w.line("# Set CLIENT_ASSERTION (and CLIENT_ASSERTION_2, ...) to fresh private_key_jwt client assertions (RFC 7523), one per request.")
	}
	w.line("")
	w.line("set -eu")
	for _, v := range w.needs {
		w.line(`: "${%s:?%s}"`, v, dquote(w.unsetMessage(v)))
	}
	w.line(`out=$(mktemp -d)`)
	w.line(`trap 'rm -rf "$out"' EXIT`)
	w.line(`show() { printf '== %%s\n' "$1"; cat "$2"; printf '\n'; }`)
	if len(w.captured) > 0 {
		w.line(`field() { sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$2" | head -n 1; }`)
	}
	w.b.WriteString(body)
	return w.b.String()
}

// unsetMessage is what the script says when v is unset.
func (w *writer) unsetMessage(v string) string {
	for _, m := range w.mints {
		if m.n > 0 && m.manual == "" && (v == CodeVar("CODE", m.n) || v == CodeVar("CODE_VERIFIER", m.n)) {
			line := w.codeLine(m)
			if strings.ContainsAny(line, "}") {
				return "run the pkcecheck code line at the top of this script first"
			}
			return `run: eval "$(` + line + `)" first`
		}
	}
	switch {
	case v == VarClientSecret:
		return "set CLIENT_SECRET to the client secret"
	case strings.HasPrefix(v, VarClientAssertion):
		return "set " + v + " to a fresh private_key_jwt client assertion"
	case strings.HasPrefix(v, "CODE"):
		return "set " + v + " to a fresh code (see the authorization URL below)"
	}
	return "set " + v + " (see the comments at the top)"
}

func (w *writer) usesSecret() bool {
	for _, v := range w.needs {
		if v == VarClientSecret {
			return true
		}
	}
	return false
}

// body writes the steps.
func (w *writer) body() {
	w.captured = map[string]bool{}
	for i := 0; i < len(w.steps); i++ {
		s := w.steps[i]
		n := i + 1
		switch s.kind {
		case kindAuthorize:
			w.authorizeStep(n, s)
		case kindNote:
			w.line("")
			w.b.WriteString(comment("# ", fmt.Sprintf("%d. %s: %s", n, s.ev.Probe, firstLine(s.ev.Request))))
			w.b.WriteString(comment("#   ", "this server: "+firstLine(s.ev.Response)))
		case kindHTTP:
			if w.pushedByLine(i) {
				w.line("")
				w.b.WriteString(comment("# ", fmt.Sprintf("%d. %s", n, s.ev.Probe)))
				w.b.WriteString(comment("#   ", "done by the pkcecheck code --push line at the top (it prints REQUEST_URI)"))
				w.b.WriteString(comment("#   ", "this server answered: "+answer(s.ev.Response)))
				continue
			}
			if g := group(s); g > 0 {
				j := i
				for j < len(w.steps) && w.steps[j].kind == kindHTTP && group(w.steps[j]) == g {
					j++
				}
				w.concurrent(i, j)
				i = j - 1
				continue
			}
			w.line("")
			w.describe(n, s)
			w.line("%s > \"$out/%d\"", w.curl(s), n)
			w.line("show %s \"$out/%d\"", Quote(label(n, s.ev.Probe)), n)
			w.capture(n, s)
		}
	}
}

// pushedByLine says whether step i is a push a pkcecheck code --push line
// does.
func (w *writer) pushedByLine(i int) bool {
	for _, m := range w.mints {
		if m.push && m.step == i {
			return true
		}
	}
	return false
}

func group(s step) int {
	if s.ev.Replay == nil {
		return 0
	}
	return s.ev.Replay.Group
}

// concurrent writes steps [i, j), sent together, as background jobs.
func (w *writer) concurrent(i, j int) {
	w.line("")
	w.line("# %d-%d. sent concurrently (background jobs, then wait):", i+1, j)
	for k := i; k < j; k++ {
		w.describe(k+1, w.steps[k])
	}
	for k := i; k < j; k++ {
		s := w.steps[k]
		cmd := w.curl(s) + fmt.Sprintf(" > \"$out/%d\"", k+1)
		if d := s.ev.Replay.Delay; d > 0 {
			cmd = "{ sleep " + seconds(d) + "; " + cmd + "; }"
		}
		w.line("%s &", cmd)
	}
	w.line("wait")
	for k := i; k < j; k++ {
		w.line("show %s \"$out/%d\"", Quote(label(k+1, w.steps[k].ev.Probe)), k+1)
	}
	for k := i; k < j; k++ {
		w.capture(k+1, w.steps[k])
	}
}

// seconds renders d for sleep (fractions work in GNU, BSD and BusyBox sleep).
func seconds(d time.Duration) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", d.Seconds()), "0"), ".")
}

// describe writes the comment of an HTTP step: what it is and what this
// server answered.
func (w *writer) describe(n int, s step) {
	w.b.WriteString(comment("# ", fmt.Sprintf("%d. %s", n, s.ev.Probe)))
	w.b.WriteString(comment("#   ", "this server answered: "+answer(s.ev.Response)))
}

// label is a step's one-line name, as show prints it.
func label(n int, probe string) string {
	return fmt.Sprintf("%d. %s", n, printable(strings.Join(strings.Fields(probe), " ")))
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// authorizeStep writes an authorization request as comments: the URL to
// open and the pkcecheck code line that does it, and what came back.
func (w *writer) authorizeStep(n int, s step) {
	var m mint
	for _, x := range w.mints {
		if x.step == n-1 {
			m = x
		}
	}
	w.line("")
	what := "authorization request"
	if m.n > 0 {
		what += " (its code is $" + CodeVar("CODE", m.n) + ")"
	}
	w.b.WriteString(comment("# ", fmt.Sprintf("%d. %s: %s", n, what, s.ev.Probe)))
	u := s.req.url
	if m.free {
		u = replaceParam(u, "code_challenge", "$"+CodeVar("CODE_CHALLENGE", m.n))
	}
	for i, f := range m.flags {
		if f == "--request-uri" && i+1 < len(m.flags) {
			u = replaceParam(u, "request_uri", strings.Trim(m.flags[i+1], `"`))
		}
	}
	w.b.WriteString(comment("#   ", u))
	switch {
	case m.manual != "":
		w.b.WriteString(comment("#   ", "pkcecheck code cannot send it: "+m.manual))
	case m.n == 0:
		w.b.WriteString(comment("#   ", "see the answer with: "+w.codeLine(m)+" (it prints the redirect on stderr)"))
	case strings.Contains(w.codeLine(m), "--request-uri"):
		w.b.WriteString(comment("#   ", "the authorization with the pushed request_uri: "+w.codeLine(m)))
	case m.pinned:
		w.b.WriteString(comment("#   ", "the code must be bound to exactly this challenge: "+w.codeLine(m)))
	}
	w.b.WriteString(comment("#   ", "this server answered: "+answer(s.ev.Response)))
	if m.n > 0 && m.manual == "" {
		v := w.need(CodeVar("CODE", m.n))
		if !w.redeemed(s.mints) {
			// The probe is about the authorization: that a code came back.
			w.line("echo %s", Quote(fmt.Sprintf("%d. the server issued a code for this request ($%s is set)", n, v)))
		}
	}
}

// redeemed says whether a token request of the probe sends code c.
func (w *writer) redeemed(c int) bool {
	for _, s := range w.steps {
		if s.kind == kindHTTP && carries(s, c) {
			return true
		}
	}
	return false
}

// replaceParam shows a query parameter's value as a variable.
func replaceParam(u, name, shown string) string {
	base, q, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		if k, _, _ := strings.Cut(p, "="); k == name {
			parts[i] = name + "=" + shown
		}
	}
	return base + "?" + strings.Join(parts, "&")
}

// curl renders one HTTP step as a curl command.
func (w *writer) curl(s step) string {
	r := s.req
	args := []string{"curl -sS -i"}
	if r.method != "GET" || r.hasBody {
		args[0] += " -X " + r.method
	}
	args[0] += " " + Quote(r.url)
	clientID, wrong := "", false
	if s.ev.Replay != nil {
		clientID, wrong = s.ev.Replay.ClientID, s.ev.Replay.WrongSecret
	}
	for _, h := range r.headers {
		name, v := h[0], h[1]
		switch {
		case strings.EqualFold(name, "Authorization") && strings.HasPrefix(v, "Basic "):
			// RFC 6749 §2.3.1: the form-urlencoded client ID and secret.
			id := `"$CLIENT_ID:"`
			if clientID != "" {
				id = Quote(url.QueryEscape(clientID) + ":")
			} else {
				w.need("CLIENT_ID")
			}
			if wrong { // the probe's point: a secret that is not the client's
				args = append(args, "-u "+id+wrongSecret)
				continue
			}
			args = append(args, "-u "+id+`"$`+w.need(VarClientSecret)+`"`)
		case strings.EqualFold(name, "Authorization") && strings.HasPrefix(v, "Bearer "):
			args = append(args, `-H "Authorization: Bearer $`+w.token(VarAccessToken)+`"`)
		case strings.Contains(v, "[REDACTED]"):
			args = append(args, "-H "+Quote(name+": ")+`"$`+w.need(strings.ToUpper(strings.ReplaceAll(name, "-", "_")))+`"`)
		default:
			args = append(args, "-H "+Quote(name+": "+v))
		}
	}
	ci := 0
	for _, p := range r.body {
		switch {
		case !p.masked && p.name == "code_verifier" && w.rightVerifier(s, p.value()) > 0:
			args = append(args, `--data-urlencode "code_verifier=$`+CodeVar("CODE_VERIFIER", w.rightVerifier(s, p.value()))+`"`)
			w.need(CodeVar("CODE_VERIFIER", w.rightVerifier(s, p.value())))
		case !p.masked:
			args = append(args, "--data-raw "+Quote(url.QueryEscape(p.name)+"="+p.raw))
		case p.name == "client_secret" && wrong:
			args = append(args, "--data-raw "+Quote("client_secret="+wrongSecret))
		case p.name == "code":
			c := 1
			if ci < len(s.codes) {
				c = s.codes[ci]
			}
			ci++
			if c == 0 { // a code the server never issued: its value is no secret
				args = append(args, "--data-raw "+Quote("code="+unknownCode))
				continue
			}
			v := CodeVar("CODE", w.varOf[c])
			if w.varOf[c] == 0 {
				v = CodeVar("CODE", c)
			}
			args = append(args, `--data-urlencode "code=$`+w.need(v)+`"`)
		default:
			args = append(args, `--data-urlencode "`+dquote(p.name)+`=$`+w.secretVar(p.name)+`"`)
		}
	}
	return strings.Join(args, " \\\n  ")
}

// unknownCode stands for a code the probe made up (the server never issued
// it), which the evidence masks like any code.
const unknownCode = "pkcecheck-unknown-code-0123456789"

// wrongSecret stands for a client secret a probe sent on purpose wrong.
const wrongSecret = "pkcecheck-wrong-client-secret"

// rightVerifier is the variable number of the code whose right verifier v
// is, among the free codes this step sends; 0 when it is none.
func (w *writer) rightVerifier(s step, v string) int {
	for _, c := range s.codes {
		if m := w.mintOf[c]; m != nil && m.free && isRight(v, m.challenge, m.method) {
			return m.n
		}
	}
	return 0
}

// secretVar names the variable of a masked body parameter.
func (w *writer) secretVar(name string) string {
	switch name {
	case "client_secret":
		return w.need(VarClientSecret)
	case "client_assertion":
		w.asserts++
		return w.need(CodeVar(VarClientAssertion, w.asserts))
	case "refresh_token":
		return w.token(VarRefreshToken)
	case "token", "access_token":
		return w.token(VarAccessToken)
	}
	return w.need(strings.ToUpper(name))
}

// token names a token variable: captured from an earlier response of the
// script, or else one the caller sets.
func (w *writer) token(v string) string {
	if w.captured[v] {
		return v
	}
	return w.need(v)
}

// capture reads the tokens of a response that issued them into
// $ACCESS_TOKEN and $REFRESH_TOKEN, for the steps after it.
func (w *writer) capture(n int, s step) {
	if !strings.Contains(s.ev.Response, `"access_token"`) && !strings.Contains(s.ev.Response, `"refresh_token"`) {
		return
	}
	for _, tv := range []struct{ member, v string }{{"access_token", VarAccessToken}, {"refresh_token", VarRefreshToken}} {
		if !strings.Contains(s.ev.Response, `"`+tv.member+`"`) || !w.laterUses(n, tv.member) {
			continue
		}
		if !w.captured[tv.v] {
			w.line("%s=", tv.v)
		}
		w.captured[tv.v] = true
		w.line(`t=$(field %s "$out/%d"); [ -z "$t" ] || %s=$t`, tv.member, n, tv.v)
	}
}

// laterUses says whether a step after the n-th sends a token of that kind.
func (w *writer) laterUses(n int, member string) bool {
	for _, s := range w.steps[n:] {
		if s.kind != kindHTTP {
			continue
		}
		for _, p := range s.req.body {
			if p.masked && (p.name == member || (member == "access_token" && p.name == "token")) {
				return true
			}
		}
		for _, h := range s.req.headers {
			if member == "access_token" && strings.HasPrefix(h[1], "Bearer ") {
				return true
			}
		}
	}
	return false
}
