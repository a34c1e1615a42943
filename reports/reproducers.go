package reports

import (
	"fmt"
	"strings"

	"github.com/pkcecheck/pkcecheck/results"
)

// PolicyProfile is the policy profile for the report headers: the
// specification set judged, "base" when the run judged the base RFCs.
func PolicyProfile(p results.Policy) string {
	if p.Profile == "" {
		return "base"
	}
	return p.Profile
}

// withReproducer are the results whose reproducer a report shows: fails,
// warnings and waived results that carry one.
func withReproducer(run *results.Run) []results.Result {
	var out []results.Result
	for _, r := range run.Results {
		if r.Reproducer != "" && (r.Status == results.Fail || r.Status == results.Warn || r.Status == results.Waived) {
			out = append(out, r)
		}
	}
	return out
}

// writeMarkdownReproducers adds report.md's reproducers: one folded
// section per fail or warning, the script in a fenced block.
func writeMarkdownReproducers(b *strings.Builder, run *results.Run) {
	rs := withReproducer(run)
	if len(rs) == 0 {
		return
	}
	b.WriteString("\n### Reproducers\n\n")
	b.WriteString("Each script replays the failing probe with curl. Get the codes it needs with the `pkcecheck code` line at its top (`eval \"$(pkcecheck code ...)\"`), then run it with `sh`.\n\n")
	for _, r := range rs {
		script := printable(r.Reproducer)
		fence := strings.Repeat("`", max(3, longestRun(script, '`')+1))
		fmt.Fprintf(b, "<details><summary>%s (%s)</summary>\n\n%ssh\n%s\n%s\n\n</details>\n\n",
			htmlEscape(r.ID), htmlEscape(string(r.Status)), fence, strings.TrimRight(script, "\n"), fence)
	}
}

// longestRun is the longest run of c in s.
func longestRun(s string, c rune) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// htmlEscape escapes s for HTML text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(oneLine(s, 0))
}
