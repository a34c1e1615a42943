package main

import (
	"bytes"
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
	"github.com/pkcecheck/pkcecheck/suites"
)

// feed plays a run of three requirements into c, each spec taking 200 ms:
// two specs for the first, a failing one with a long summary (and an
// escape sequence a server put in its error) for the second, one for the
// third.
func feed(c *console) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c.now = func() time.Time { return now }
	long := "1 of 10 probes failed: refuses the right verifier against a challenge that differs in one late character: tokens issued (HTTP 200) \x1b[31mred\nnext"
	specs := []struct {
		req, spec string
		res       results.Result
	}{
		{"rfc7636.s256-roundtrip", "redeems a code with a 43-character S256 verifier", results.Result{ID: "rfc7636.s256-roundtrip", Status: results.Pass, Summary: "verifiers are exchanged for tokens"}},
		{"rfc7636.s256-roundtrip", "redeems a code with a 128-character S256 verifier", results.Result{ID: "rfc7636.s256-roundtrip", Status: results.Pass, Summary: "verifiers are exchanged for tokens"}},
		{"rfc7636.verifier-mismatch", "refuses a verifier: truncated", results.Result{ID: "rfc7636.verifier-mismatch", Status: results.Fail, Summary: long}},
		{"rfc6749.code-race", "is redeemed at most once", results.Result{ID: "rfc6749.code-race", Status: results.Skip, Summary: "needs clients.other"}},
	}
	for _, s := range specs {
		c.progress(suites.Progress{Requirement: requirements.ID(s.req), Spec: s.spec})
		now = now.Add(200 * time.Millisecond)
		c.progress(suites.Progress{Done: true, Requirement: requirements.ID(s.req), Spec: s.spec, Status: s.res.Status, Result: s.res})
	}
	c.finish()
}

// TestConsoleTerminal: on a terminal each requirement gets one coloured
// line when its last spec has ended, cut to the width; a dim "running:"
// status line is rewritten in place and cleared before each line and at
// the end; nothing a server sent can move the cursor.
func TestConsoleTerminal(t *testing.T) {
	var buf bytes.Buffer
	c := newConsole(&buf, consoleStyle{Color: true, Status: true, Width: 80})
	feed(c)
	out := buf.String()

	if n := strings.Count(out, "\n"); n != 3 {
		t.Errorf("%d lines, want one per requirement (3):\n%q", n, out)
	}
	for _, want := range []string{
		ansiClearLine + ansiDim + "running: rfc7636.s256-roundtrip · redeems a code with a 43-character S256 veri…" + ansiReset,
		ansiClearLine + ansiDim + "running: rfc7636.verifier-mismatch · refuses a verifier: truncated" + ansiReset,
		ansiClearLine + statusColor[results.Pass] + "PASS  " + ansiReset + " rfc7636.s256-roundtrip ",
		statusColor[results.Fail] + "FAIL  " + ansiReset + " rfc7636.verifier-mismatch ",
		statusColor[results.Skip] + "SKIP  " + ansiReset + " rfc6749.code-race ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("the status line is not cleared at the end:\n%q", out)
	}
	// The last requirement's line comes after a cleared status line.
	if !strings.Contains(out, "is redeemed at most once"+ansiReset+ansiClearLine+statusColor[results.Skip]) {
		t.Errorf("status line not cleared before a requirement line:\n%q", out)
	}
	screen := emulate(out)
	if len(screen) != 3 {
		t.Fatalf("the terminal shows %d lines, want one per requirement:\n%s", len(screen), strings.Join(screen, "\n"))
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`^PASS   rfc7636\.s256-roundtrip +0\.4s  verifiers are exchanged for.*…$`),
		regexp.MustCompile(`^FAIL   rfc7636\.verifier-mismatch +0\.2s  1 of 10 probes failed: \S.*…$`),
		regexp.MustCompile(`^SKIP   rfc6749\.code-race +0\.2s  needs clients\.other$`),
	}
	for i, line := range screen {
		if n := len([]rune(line)); n > 79 {
			t.Errorf("line %d has %d columns, wider than the terminal's 80 less one: %q", i+1, n, line)
		}
		if !want[i].MatchString(line) {
			t.Errorf("line %d = %q, want %s", i+1, line, want[i])
		}
	}
	if strings.Contains(out, "\x1b[31mred") {
		t.Errorf("an escape sequence from a summary reached the terminal:\n%q", out)
	}
}

// emulate plays out on a minimal terminal (carriage return, erase line,
// newline; colours dropped) and returns the lines on the screen; a line
// still being written at the end is returned too.
func emulate(out string) []string {
	out = regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(out, "")
	var screen []string
	var cur []rune
	for i := 0; i < len(out); {
		switch {
		case strings.HasPrefix(out[i:], ansiClearLine):
			cur = cur[:0]
			i += len(ansiClearLine)
		case out[i] == '\n':
			screen = append(screen, string(cur))
			cur = cur[:0]
			i++
		default:
			r := []rune(out[i:])[0]
			cur = append(cur, r)
			i += len(string(r))
		}
	}
	if len(cur) > 0 {
		screen = append(screen, string(cur))
	}
	return screen
}

// TestConsolePlain: in CI (or a pipe) the lines are the same but without
// colour, without a status line and cut only at maxPlainSummary.
func TestConsolePlain(t *testing.T) {
	var buf bytes.Buffer
	c := newConsole(&buf, consoleStyle{})
	feed(c)
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("plain output has control characters:\n%q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^PASS   rfc7636\.s256-roundtrip\s+0\.4s  verifiers are exchanged for tokens$`),
		regexp.MustCompile(`^FAIL   rfc7636\.verifier-mismatch\s+0\.2s  1 of 10 probes failed: .* tokens issued \(HTTP 200\)  \[31mred next$`),
		regexp.MustCompile(`^SKIP   rfc6749\.code-race\s+0\.2s  needs clients\.other$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s", i+1, lines[i], re)
		}
	}
}

// TestConsoleQuiet: --quiet shows no progress, only the summary.
func TestConsoleQuiet(t *testing.T) {
	var buf bytes.Buffer
	c := newConsole(&buf, consoleStyle{Quiet: true})
	feed(c)
	if buf.Len() != 0 {
		t.Errorf("quiet console printed progress:\n%s", buf.String())
	}
	run := &results.Run{
		Target:  results.Target{Name: "idp", Issuer: "http://127.0.0.1:1"},
		Policy:  results.Policy{PKCERequired: "public", Plain: "forbidden", ErrorCodes: "strict"},
		Clients: []results.Client{{Role: "public", ID: "app", AuthMethods: []string{"none"}}, {Role: "confidential", ID: "srv", AuthMethods: []string{"client_secret_basic", "private_key_jwt"}}},
		Stats:   results.Stats{DurationMS: 4200, Logins: 1, CodesMinted: 40, HTTPRequests: 60},
		Results: []results.Result{
			{ID: "rfc7636.s256-roundtrip", Status: results.Pass, Summary: "ok"},
			{ID: "rfc7636.verifier-mismatch", Status: results.Fail, Summary: "tokens issued"},
			{ID: "rfc7636.verifier-length", Status: results.Waived, Summary: "a 42-character verifier was accepted"},
			{ID: "rfc6749.code-race", Status: results.Skip, Summary: "needs clients.other"},
		},
	}
	c.summary(run, "out")
	got := buf.String()
	want := "\npkcecheck: idp (http://127.0.0.1:1)\n" +
		"policy: pkce_required=public, plain=forbidden, error_codes=strict, profile=base\n" +
		"clients: public app (none); confidential srv (client_secret_basic, private_key_jwt)\n" +
		fmt.Sprintf("  FAIL   %-*s tokens issued\n", idWidth, "rfc7636.verifier-mismatch") +
		fmt.Sprintf("  WAIVED %-*s a 42-character verifier was accepted\n", idWidth, "rfc7636.verifier-length") +
		"4 requirements: 1 pass, 1 fail, 0 warn, 0 error, 1 skip, 1 waived · 4.2s, 1 login(s), 40 codes, 60 HTTP requests\n" +
		"reports: out/junit.xml, out/results.json, out/report.html, out/report.md\n" +
		"reproducers: pkcecheck repro --results out ID (a curl script per fail and warning)\n"
	if got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

// progressLine is a requirement's line in plain output.
var progressLine = regexp.MustCompile(`^(PASS|FAIL|WARN|ERROR|SKIP)\s+(\S+)\s+\d+\.\ds  \S`)

// TestDemoConsolePlain runs the built binary with stdout a pipe: one plain
// line per requirement as it completes, matching results.json, then the
// summary; no colour, no status line, none of Ginkgo's own output.
func TestDemoConsolePlain(t *testing.T) {
	r := pkcecheck(t, nil, "demo", "--flaws", "prefix-compare")
	if r.code != exitFailed || r.run == nil {
		t.Fatalf("exit %d, want %d with results\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	if strings.ContainsAny(r.stdout, "\x1b\r") {
		t.Errorf("stdout has escape sequences or carriage returns:\n%q", r.stdout)
	}
	for _, ginkgo := range []string{"Ran ", "Random Seed", "•", "[FAILED]", "Summarizing"} {
		if strings.Contains(r.stdout, ginkgo) {
			t.Errorf("Ginkgo's own output %q reached stdout:\n%s", ginkgo, r.stdout)
		}
	}
	want := statuses(r.run)
	seen := map[string]bool{}
	lines := strings.Split(r.stdout, "\n")
	i := 0
	for ; i < len(lines) && lines[i] != ""; i++ {
		m := progressLine.FindStringSubmatch(lines[i])
		if m == nil {
			t.Fatalf("line %d is not a requirement line: %q\n%s", i+1, lines[i], r.stdout)
		}
		id, status := m[2], results.Status(strings.ToLower(m[1]))
		if seen[id] {
			t.Errorf("%s has two lines", id)
		}
		seen[id] = true
		if want[id] != status {
			t.Errorf("%s: console says %s, results.json %s", id, status, want[id])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%d requirement lines, results.json has %d", len(seen), len(want))
	}
	summary := strings.Join(lines[i:], "\n")
	for _, w := range []string{"pkcecheck: reference provider", "  FAIL   rfc7636.verifier-mismatch ", " requirements: ", " 1 fail,", "reports: "} {
		if !strings.Contains(summary, w) {
			t.Errorf("summary lacks %q:\n%s", w, summary)
		}
	}
	if strings.Contains(summary, "PASS ") {
		t.Errorf("summary repeats passing requirements:\n%s", summary)
	}
	for _, w := range []string{"discovering ", "logged in"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks the progress line %q:\n%s", w, r.stderr)
		}
	}
}

// TestDemoConsoleModes: CI=true gives plain lines whatever stdout is;
// --quiet prints only the summary (and errors); --verbose adds Ginkgo's
// own report; --quiet with --verbose is a usage error.
func TestDemoConsoleModes(t *testing.T) {
	const filter = "rfc7636.verifier-mismatch || rfc7636.s256-roundtrip"
	t.Run("quiet", func(t *testing.T) {
		r := pkcecheck(t, []string{"CI=true"}, "demo", "--flaws", "prefix-compare", "--quiet", "--label-filter", filter)
		if r.code != exitFailed {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		want := regexp.MustCompile(`^\npkcecheck: reference provider \(pkcecheck demo\) \(http://127\.0\.0\.1:\d+\)\n` +
			`policy: pkce_required=public, plain=forbidden, error_codes=strict, profile=base\nclients: public demo-public \(none\); [^\n]*\n` +
			`  FAIL   rfc7636\.verifier-mismatch +1 of \d+ probes failed: [^\n]*\n` +
			`2 requirements: 1 pass, 1 fail, [^\n]*\nlogin steps: given, [^\n]*\nreports: [^\n]*\nreproducers: pkcecheck repro --results [^\n]* ID [^\n]*\n$`)
		if !want.MatchString(r.stdout) {
			t.Errorf("quiet stdout:\n%s\nwant to match %s", r.stdout, want)
		}
		if strings.Contains(r.stderr, "discovering") || !strings.Contains(r.stderr, "rfc7636.verifier-mismatch") {
			t.Errorf("quiet stderr should hold the error only:\n%s", r.stderr)
		}
	})
	t.Run("verbose", func(t *testing.T) {
		r := pkcecheck(t, nil, "demo", "--verbose", "--label-filter", filter)
		if r.code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if !regexp.MustCompile(`Ran \d+ of \d+ Specs`).MatchString(r.stdout) {
			t.Errorf("verbose stdout lacks Ginkgo's summary:\n%s", r.stdout)
		}
		for _, w := range []string{"refuses a verifier: truncated", "PASS   rfc7636.verifier-mismatch "} {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("verbose stdout lacks %q:\n%s", w, r.stdout)
			}
		}
	})
	t.Run("quiet and verbose", func(t *testing.T) {
		r := pkcecheck(t, nil, "demo", "--verbose", "--quiet")
		if r.code != exitUsage || !strings.Contains(r.stderr, "--quiet and --verbose") {
			t.Errorf("exit %d: %s", r.code, r.stderr)
		}
	})
}
