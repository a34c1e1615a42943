package reports

import (
	"fmt"
	"strings"

	"github.com/pkcecheck/pkcecheck/internal/requirements"
	"github.com/pkcecheck/pkcecheck/internal/results"
)

var statusMark = map[results.Status]string{
	results.Pass: "✅ pass", results.Fail: "❌ fail", results.Warn: "⚠️ warn",
	results.Skip: "⏭️ skip", results.Error: "💥 error", results.Waived: "🏳️ waived",
}

// Markdown renders report.md: a compact table for CI job summaries and
// pull-request comments.
func Markdown(run *results.Run) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# pkcecheck: %s\n\n", mdEscape(run.Target.Name))
	fmt.Fprintf(&b, "Issuer `%s` · policy pkce_required=%s, plain=%s, error_codes=%s · %d ms, %d login(s), %d codes, %d HTTP requests\n\n",
		run.Target.Issuer, run.Policy.PKCERequired, run.Policy.Plain, run.Policy.ErrorCodes,
		run.Stats.DurationMS, run.Stats.Logins, run.Stats.CodesMinted, run.Stats.HTTPRequests)
	counts := run.Counts()
	var parts []string
	for _, s := range []results.Status{results.Pass, results.Fail, results.Warn, results.Error, results.Skip, results.Waived} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	fmt.Fprintf(&b, "**%s**\n\n", strings.Join(parts, " · "))
	b.WriteString("| Requirement | Level | Status | Summary |\n|---|---|---|---|\n")
	for _, r := range run.Results {
		text := ""
		if req, ok := requirements.Lookup(r.ID); ok {
			text = "<br>" + mdEscape(req.Text)
		}
		fmt.Fprintf(&b, "| `%s` (%s)%s | %s | %s | %s |\n", r.ID, mdEscape(r.Source), text, r.Level, statusMark[r.Status], mdEscape(r.Summary))
	}
	return []byte(b.String()), nil
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}
