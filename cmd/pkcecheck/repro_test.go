package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/results"
)

// reproduction is what running a reproducer (its pkcecheck code lines,
// then the script) showed, step by step: the answer of each step in the
// words the script's comments use for what the server answered.
type reproduction struct {
	steps map[int]string // script step number -> signature of its answer
	log   string         // everything printed, for messages
	// secrets are the codes, assertions and tokens the run handled: none
	// may appear in a reproducer.
	secrets []string
}

// recordedSteps reads a reproducer's comments: what the server answered at
// each step when the report was written, as signatures, and the steps that
// ran concurrently.
func recordedSteps(script string) (map[int]string, map[int]bool) {
	steps, concurrent := map[int]string{}, map[int]bool{}
	probes := map[int]string{}
	var n int
	for _, l := range strings.Split(script, "\n") {
		if m := probeHead.FindStringSubmatch(l); m != nil {
			fmt.Sscan(m[1], &n)
			probes[n] = m[2]
			continue
		}
		if strings.HasPrefix(l, "#   pkcecheck code cannot send it") || strings.HasPrefix(l, "#   done by the pkcecheck code --push line") {
			n = 0 // a step done by hand: not compared
			continue
		}
		if m := groupHead.FindStringSubmatch(l); m != nil {
			var a, b int
			fmt.Sscanf(m[1], "%d-%d", &a, &b)
			for i := a; i <= b; i++ {
				concurrent[i] = true
			}
			continue
		}
		if a, ok := strings.CutPrefix(l, "#   this server answered: "); ok && n > 0 {
			steps[n] = signatureOfAnswer(a)
			if concurrent[n] {
				steps[n] += " " + kindOf(probes[n])
			}
		}

	}
	return steps, concurrent
}

var (
	probeHead = regexp.MustCompile(`^# (\d+)\. (.*)$`)
	groupHead = regexp.MustCompile(`^# (\d+-\d+)\. sent concurrently`)
	answerTag = regexp.MustCompile(`error=[^;)]*|tokens issued|active=\w+|error_description outside|no Cache-Control|Cache-Control: [^;)]*|no WWW-Authenticate|WWW-Authenticate: [^;)]*|a code was issued`)
)

// kindOf is what a concurrent request sent, from its probe's name
// ("redemption 2 of 3 (no verifier)" is "(no verifier)").
func kindOf(probe string) string {
	if i := strings.LastIndex(probe, "("); i >= 0 {
		return probe[i:]
	}
	return ""
}

// signatureOfAnswer reduces an answer as the comments word it ("HTTP 400
// Bad Request (error=invalid_grant, no Cache-Control)", "redirect to ...")
// to what must reproduce: the status, the error, tokens or not, the cache
// header, introspection's active, the error text's charset; for a redirect
// the names of its parameters and its error; for metadata the methods.
func signatureOfAnswer(a string) string {
	switch {
	case strings.HasPrefix(a, "HTTP "):
		f := strings.Fields(a)
		tags := answerTag.FindAllString(a, -1)
		sort.Strings(tags)
		return "HTTP " + f[1] + " " + strings.Join(tags, " ")
	case strings.HasPrefix(a, "redirect to "):
		u, _, _ := strings.Cut(strings.TrimPrefix(a, "redirect to "), " (")
		return redirectSignature(u)
	case strings.HasPrefix(a, "error page "):
		f := strings.Fields(a)
		return "error page " + f[3]
	case strings.HasPrefix(a, "code_challenge_methods_supported: "):
		return a
	}
	return a
}

// redirectSignature is the sorted names of a redirect's parameters (query
// and fragment) with the value of error.
func redirectSignature(u string) string {
	_, q, _ := strings.Cut(u, "?")
	q = strings.ReplaceAll(q, "#", "&")
	if _, frag, ok := strings.Cut(u, "#"); ok && q == "" {
		q = frag
	}
	var names []string
	errCode := ""
	for _, part := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(part, "=")
		if k == "" {
			continue
		}
		names = append(names, k)
		if k == "error" {
			errCode, _ = url.QueryUnescape(v)
		}
		if k == "error_description" {
			d, _ := url.QueryUnescape(v)
			if !descriptionCharsetOK(d) {
				names = append(names, "(error_description outside)")
			}
		}
	}
	sort.Strings(names)
	return "redirect " + strings.Join(names, ",") + " error=" + errCode
}

func descriptionCharsetOK(d string) bool {
	for _, c := range []byte(d) {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// signatureOfHTTP reduces one curl -i output the way signatureOfAnswer
// reduces the recorded answer.
func signatureOfHTTP(out string) string {
	out = strings.ReplaceAll(out, "\r\n", "\n")
	head, body, _ := strings.Cut(out, "\n\n")
	lines := strings.Split(head, "\n")
	f := strings.Fields(lines[0])
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		if strings.Contains(out, `"issuer"`) { // metadata
			return "code_challenge_methods_supported: " + methodsOf(out)
		}
		return "no HTTP answer: " + firstLineOf(out)
	}
	if strings.Contains(body, `"issuer"`) && strings.Contains(body, `"authorization_endpoint"`) {
		return "code_challenge_methods_supported: " + methodsOf(body)
	}
	var tags []string
	cc, challenge := "no Cache-Control", ""
	for _, l := range lines[1:] {
		name, v, ok := strings.Cut(l, ": ")
		switch {
		case ok && strings.EqualFold(name, "Cache-Control"):
			cc = "Cache-Control: " + v
		case ok && strings.EqualFold(name, "WWW-Authenticate"):
			challenge = "WWW-Authenticate: " + v
		}
	}
	tags = append(tags, cc)
	if challenge != "" {
		tags = append(tags, challenge)
	} else if f[1] == "401" {
		tags = append(tags, "no WWW-Authenticate")
	}
	if e := jsonString(body, "error"); e != "" {
		tags = append(tags, "error="+e)
	}
	if strings.Contains(body, `"access_token"`) {
		tags = append(tags, "tokens issued")
	}
	if m := regexp.MustCompile(`"active"\s*:\s*(\w+)`).FindStringSubmatch(body); m != nil {
		tags = append(tags, "active="+m[1])
	}
	if m := regexp.MustCompile(`"error_description"\s*:\s*"((?:[^"\\]|\\.)*)"`).FindStringSubmatch(body); m != nil && !descriptionCharsetOK(m[1]) {
		tags = append(tags, "error_description outside")
	}
	sort.Strings(tags)
	return "HTTP " + f[1] + " " + strings.Join(tags, " ")
}

func methodsOf(body string) string {
	m := regexp.MustCompile(`"code_challenge_methods_supported"\s*:\s*\[([^\]]*)\]`).FindStringSubmatch(body)
	if m == nil {
		return "absent"
	}
	var out []string
	for _, v := range strings.Split(m[1], ",") {
		if v = strings.Trim(strings.TrimSpace(v), `"`); v != "" {
			out = append(out, v)
		}
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func jsonString(body, name string) string {
	m := regexp.MustCompile(`"` + name + `"\s*:\s*"([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// reproduce runs a reproducer against srv: each pkcecheck code line it
// names (the signature of an authorization step is its redirect, or its
// refusal), then the script with the codes, the client secret and fresh
// client assertions in the environment.
func reproduce(t *testing.T, fx reproFixture, srv *refidp.Server, script string) reproduction {
	t.Helper()
	env := fx.env(srv)
	rep := reproduction{steps: map[int]string{}}
	var log strings.Builder
	// Authorization steps, in order: the eval lines are the steps that
	// got a code, the "see" lines those that did not.
	// A --push line prints REQUEST_URI for the lines after it, which run
	// with the assignments so far in their environment.
	var minted, seen []authStep
	for _, a := range authorizationSteps(script) {
		if a.minted {
			minted = append(minted, a)
		} else {
			seen = append(seen, a)
		}
	}
	type codeRun struct {
		line string
		step int // 0: a push
	}
	var runs []codeRun
	for _, m := range evalLine.FindAllStringSubmatch(script, -1) {
		switch {
		case strings.Contains(m[1], " --push "):
			runs = append(runs, codeRun{line: m[1]})
		case len(minted) > 0:
			runs = append(runs, codeRun{m[1], minted[0].n})
			minted = minted[1:]
		}
	}
	for _, m := range seeLine.FindAllStringSubmatch(script, -1) {
		if len(seen) > 0 {
			runs = append(runs, codeRun{m[1], seen[0].n})
			seen = seen[1:]
		}
	}
	var allAssignments strings.Builder
	lineEnv := append([]string(nil), env...)
	for _, cr := range runs {
		line := cr.line
		stdout, stderr, code := shell(t, lineEnv, line)
		fmt.Fprintf(&log, "$ %s\n(exit %d)\n%s", line, code, stderr)
		sig := "refused"
		if m := regexp.MustCompile(`(?m)^redirect: (\S+)`).FindStringSubmatch(stderr); m != nil {
			sig = redirectSignature(m[1])
		} else if m := regexp.MustCompile(`HTTP (\d+)`).FindStringSubmatch(stderr); m != nil && code != 0 {
			sig = "error page " + m[1]
		}
		if cr.step > 0 {
			rep.steps[cr.step] = sig
		}
		if code == 0 {
			allAssignments.WriteString(stdout)
			for name, v := range assignments(t, stdout) {
				lineEnv = append(lineEnv, name+"="+v)
				if strings.HasPrefix(name, "CODE_VERIFIER") || strings.HasPrefix(name, "CODE_CHALLENGE") {
					continue // not secrets: the script names the recorded ones
				}
				rep.secrets = append(rep.secrets, v)
			}
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "repro.sh")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	wrapper := "set -a\n" + allAssignments.String() + "\nset +a\nexec sh \"$1\"\n"
	extra := []string{"CLIENT_SECRET=" + reproSecret}
	if strings.Contains(script, "$CLIENT_ASSERTION") {
		token := srv.Issuer() + "/token"
		if m := regexp.MustCompile(`curl -sS -i -X POST '?([^' ]+/token)`).FindStringSubmatch(script); m != nil {
			token = m[1]
		}
		for i := 1; i <= 4; i++ {
			a, err := clientjwt.Sign(refidp.ConfidentialClientID, token, fx.key, "ES256", "", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			name := "CLIENT_ASSERTION"
			if i > 1 {
				name += fmt.Sprintf("_%d", i)
			}
			extra = append(extra, name+"="+a)
			rep.secrets = append(rep.secrets, a)
		}
	}
	stdout, stderr, code := shell(t, append(env, extra...), wrapper, path)
	fmt.Fprintf(&log, "$ sh repro.sh\n(exit %d)\n%s%s", code, stdout, stderr)
	for _, sec := range strings.Split("\n"+stdout, "\n== ")[1:] {
		head, body, _ := strings.Cut(sec, "\n")
		var n int
		if _, err := fmt.Sscanf(head, "%d.", &n); err == nil {
			rep.steps[n] = signatureOfHTTP(body)
		}
	}
	for _, m := range regexp.MustCompile(`"(?:access|refresh|id)_token"\s*:\s*"([^"]+)"`).FindAllStringSubmatch(stdout, -1) {
		rep.secrets = append(rep.secrets, m[1])
	}
	rep.log = log.String()
	return rep
}

// authStep is an authorization step of a reproducer.
type authStep struct {
	n      int
	minted bool
}

var authHead = regexp.MustCompile(`^# (\d+)\. authorization request( \(its code is)?`)

// authorizationSteps are the steps a pkcecheck code line does, in order
// (those the script says must be done by hand are left out).
func authorizationSteps(script string) []authStep {
	var out []authStep
	for _, l := range strings.Split(script, "\n") {
		if m := authHead.FindStringSubmatch(l); m != nil {
			var n int
			fmt.Sscan(m[1], &n)
			out = append(out, authStep{n: n, minted: m[2] != ""})
		}
		if strings.HasPrefix(l, "#   pkcecheck code cannot send it") && len(out) > 0 {
			out = out[:len(out)-1]
		}
	}
	return out
}

// mismatches lists the steps whose reproduced answer differs from the
// recorded one; concurrent steps are compared as a group (which of them
// got tokens), since their order is up to the server.
func mismatches(recorded map[int]string, concurrent map[int]bool, got reproduction) []string {
	var out []string
	var recWins, gotWins []string // what the concurrent requests that got tokens sent
	for n, want := range recorded {
		if concurrent[n] {
			kind := want[strings.LastIndex(want, " ")+1:]
			if i := strings.LastIndex(want, "("); i >= 0 {
				kind = want[i:]
			}
			if strings.Contains(want, "tokens issued") {
				recWins = append(recWins, kind)
			}
			if strings.Contains(got.steps[n], "tokens issued") {
				gotWins = append(gotWins, kind)
			}
			continue
		}
		if got.steps[n] != want {
			out = append(out, fmt.Sprintf("step %d: %q, recorded %q", n, got.steps[n], want))
		}
	}
	// Which concurrent request wins is up to the server's timing: compare
	// whether more than one won, and what the winners sent.
	slices.Sort(recWins)
	slices.Sort(gotWins)
	if len(recWins) > 1 != (len(gotWins) > 1) || !slices.Equal(slices.Compact(recWins), slices.Compact(gotWins)) {
		out = append(out, fmt.Sprintf("concurrent requests that got tokens: %v, recorded %v", gotWins, recWins))
	}
	sort.Strings(out)
	return out
}

// reproducersOf runs the checks with one flaw against srv and returns the
// reproducers of its failing and warning requirements.
func reproducersOf(t *testing.T, fx reproFixture, srv *refidp.Server, filter string) (*results.Run, map[string]string) {
	t.Helper()
	r := pkcecheck(t, fx.env(srv), "run", "--profile", fx.profile, "--label-filter", filter, "--quiet", "--http-first")
	if r.run == nil {
		t.Fatalf("no results.json (exit %d): %s", r.code, r.stderr)
	}
	out := map[string]string{}
	for _, res := range r.run.Results {
		if res.Status == results.Fail || res.Status == results.Warn {
			out[res.ID] = res.Reproducer
		}
	}
	return r.run, out
}
