package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/pkcecheck/pkcecheck/reports"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
	"github.com/pkcecheck/pkcecheck/suites"
)

// consoleStyle says how a console shows a run.
type consoleStyle struct {
	// Quiet shows only the final summary (errors go to stderr anyway).
	Quiet bool
	// Color paints the verdicts with ANSI colours.
	Color bool
	// Status keeps a "running: <spec>" line at the bottom, rewritten in
	// place as specs start (a terminal that nothing else writes to).
	Status bool
	// Width is the terminal's width in columns; lines are cut to fit it.
	// 0 = no limit besides maxPlainSummary.
	Width int
}

// styleFor picks the console style for stdout: live and coloured on a
// terminal outside CI, plain lines otherwise (CI logs, pipes, files).
// Under --verbose Ginkgo writes to stdout too, so no status line.
func styleFor(stdout io.Writer, quiet, verbose bool) consoleStyle {
	if quiet {
		return consoleStyle{Quiet: true}
	}
	if !isTerminal(stdout) {
		return consoleStyle{}
	}
	s := consoleStyle{Color: true, Status: !verbose, Width: 100}
	if w, _, err := term.GetSize(int(stdout.(*os.File).Fd())); err == nil && w > 20 {
		s.Width = w
	}
	return s
}

// isTerminal reports whether w is a terminal and CI is unset.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == ""
}

// idWidth is the width of the requirement ID column: the longest ID in the
// catalogue.
var idWidth = func() int {
	n := 0
	for _, r := range requirements.All() {
		n = max(n, len(r.ID))
	}
	return n
}()

// maxPlainSummary bounds the summary shown on a requirement's progress line
// when there is no terminal width to go by.
const maxPlainSummary = 160

// ANSI sequences.
const (
	ansiReset     = "\x1b[0m"
	ansiDim       = "\x1b[2m"
	ansiClearLine = "\r\x1b[2K"
)

// statusColor is the ANSI colour of each verdict.
var statusColor = map[results.Status]string{
	results.Pass:   "\x1b[32m",   // green
	results.Fail:   "\x1b[1;31m", // bold red
	results.Warn:   "\x1b[33m",   // yellow
	results.Error:  "\x1b[35m",   // magenta
	results.Skip:   "\x1b[90m",   // grey
	results.Waived: "\x1b[34m",   // blue
}

// console shows a run on stdout: one line per requirement as its last spec
// ends, and the final summary. Progress is called from the goroutine that
// runs the specs, the rest from the command's.
type console struct {
	w     io.Writer
	style consoleStyle
	now   func() time.Time

	mu      sync.Mutex
	cur     requirements.ID // requirement whose specs are running
	res     results.Result  // its verdict so far
	began   time.Time       // when its first spec started
	pending bool            // res is not printed yet
	shown   bool            // a status line is on screen
}

func newConsole(w io.Writer, style consoleStyle) *console {
	return &console{w: w, style: style, now: time.Now}
}

// progress is the suites' progress callback.
func (c *console) progress(p suites.Progress) {
	if c.style.Quiet {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.Requirement != c.cur {
		c.flushLocked()
		c.cur, c.began = p.Requirement, c.now()
	}
	if p.Done {
		c.res, c.pending = p.Result, true
		return
	}
	if c.style.Status {
		line := c.fit("running: "+string(p.Requirement)+" · "+oneLineText(p.Spec), c.style.Width-1)
		fmt.Fprint(c.w, ansiClearLine+ansiDim+line+ansiReset)
		c.shown = true
	}
}

// finish prints the last requirement and clears the status line.
func (c *console) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushLocked()
	c.clearLocked()
}

// flushLocked prints the pending requirement's line (c.mu held).
func (c *console) flushLocked() {
	if !c.pending {
		return
	}
	c.pending = false
	c.clearLocked()
	took := c.now().Sub(c.began)
	fmt.Fprintln(c.w, c.requirementLine(c.res, took))
}

// clearLocked removes the status line (c.mu held).
func (c *console) clearLocked() {
	if c.shown {
		fmt.Fprint(c.w, ansiClearLine)
		c.shown = false
	}
}

// requirementLine is "PASS   rfc7636.s256-roundtrip   0.4s  summary", cut
// to the terminal's width.
func (c *console) requirementLine(r results.Result, took time.Duration) string {
	head := fmt.Sprintf("%-*s %6s  ", idWidth, r.ID, seconds(took))
	room := maxPlainSummary
	if c.style.Width > 0 {
		room = c.style.Width - 7 - utf8.RuneCountInString(head) - 1
	}
	return c.verdict(r.Status) + " " + head + c.fit(oneLineText(r.Summary), room)
}

// verdict is the status in capitals, padded to 6 columns, coloured when
// the style says so.
func (c *console) verdict(s results.Status) string {
	v := fmt.Sprintf("%-6s", strings.ToUpper(string(s)))
	if col, ok := statusColor[s]; ok && c.style.Color {
		return col + v + ansiReset
	}
	return v
}

// fit cuts s to n runes, ending with "…" when cut.
func (c *console) fit(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// summary writes the final summary: the target, every requirement that did
// not pass (after the baseline), the counts and where the reports are.
func (c *console) summary(run *results.Run, out string) {
	c.finish()
	w := c.w
	fmt.Fprintf(w, "\npkcecheck: %s (%s)\n", run.Target.Name, run.Target.Issuer)
	fmt.Fprintf(w, "policy: pkce_required=%s, plain=%s, error_codes=%s, profile=%s\n", run.Policy.PKCERequired, run.Policy.Plain,
		run.Policy.ErrorCodes, reports.PolicyProfile(run.Policy))
	if len(run.Clients) > 0 {
		var cs []string
		for _, cl := range run.Clients {
			cs = append(cs, fmt.Sprintf("%s %s (%s)", cl.Role, cl.ID, strings.Join(cl.AuthMethods, ", ")))
		}
		fmt.Fprintln(w, "clients: "+oneLineText(strings.Join(cs, "; ")))
	}
	for _, r := range run.Results {
		switch r.Status {
		case results.Pass, results.Skip:
			continue
		}
		fmt.Fprintf(w, "  %s %-*s %s\n", c.verdict(r.Status), idWidth, r.ID, oneLineText(r.Summary))
	}
	n := run.Counts()
	fmt.Fprintf(w, "%d requirements: %d pass, %d fail, %d warn, %d error, %d skip, %d waived · %s, %d login(s), %d codes, %d HTTP requests\n",
		len(run.Results), n[results.Pass], n[results.Fail], n[results.Warn], n[results.Error], n[results.Skip], n[results.Waived],
		seconds(time.Duration(run.Stats.DurationMS)*time.Millisecond), run.Stats.Logins, run.Stats.CodesMinted, run.Stats.HTTPRequests)
	if run.Login != nil {
		fmt.Fprintf(w, "login steps: %s\n", oneLineText(run.Login.Summary()))
	}
	fmt.Fprintf(w, "reports: %s, %s, %s, %s\n", filepath.Join(out, reports.JUnitFile), filepath.Join(out, reports.JSONFile),
		filepath.Join(out, reports.HTMLFile), filepath.Join(out, reports.MarkdownFile))
	if n[results.Fail]+n[results.Warn] > 0 {
		fmt.Fprintf(w, "reproducers: pkcecheck repro --results %s ID (a curl script per fail and warning)\n", out)
	}
}

// seconds formats d as "0.4s" or "12.3s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// oneLineText replaces control characters (newlines, escapes a server put
// in an error description) with spaces, so a line stays one line and a
// report cannot drive the terminal.
func oneLineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
