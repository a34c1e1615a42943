package reports

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

var statusMark = map[results.Status]string{
	results.Pass: "✅ pass", results.Fail: "❌ fail", results.Warn: "⚠️ warn",
	results.Skip: "⏭️ skip", results.Error: "💥 error", results.Waived: "🏳️ waived",
}

// maxMarkdownSummary bounds a summary in report.md's table, so that the
// report stays well inside GitHub's comment size limit (65536 characters).
const maxMarkdownSummary = 240

// Markdown renders report.md: compact tables, one per area of the
// catalogue, for CI job summaries and pull-request comments
// (GitHub-flavoured Markdown). Every value from the run
// is escaped so that it can neither break the table nor turn into markup,
// and summaries are cut to one short line; the waived results and the
// baseline's notes follow the table.
func Markdown(run *results.Run) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# pkcecheck: %s\n\n", mdText(run.Target.Name))
	fmt.Fprintf(&b, "Issuer %s · policy pkce_required=%s, plain=%s, error_codes=%s, profile=%s · %s, %d login(s), %d codes, %d HTTP requests\n\n",
		mdCode(run.Target.Issuer, false), mdText(run.Policy.PKCERequired), mdText(run.Policy.Plain), mdText(run.Policy.ErrorCodes),
		mdText(PolicyProfile(run.Policy)), duration(run.Stats.DurationMS), run.Stats.Logins, run.Stats.CodesMinted, run.Stats.HTTPRequests)
	if len(run.Clients) > 0 {
		var cs []string
		for _, c := range run.Clients {
			cs = append(cs, mdText(c.Role)+" "+mdCode(c.ID, false)+" ("+mdText(strings.Join(c.AuthMethods, ", "))+")")
		}
		fmt.Fprintf(&b, "Clients: %s\n\n", strings.Join(cs, " · "))
	}
	counts := run.Counts()
	var parts []string
	for _, so := range statusOrder {
		if counts[so.s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[so.s], so.s))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no requirement checked")
	}
	if run.Login != nil {
		fmt.Fprintf(&b, "Login steps: %s\n\n", mdText(oneLine(run.Login.Summary(), maxMarkdownSummary*2)))
	}
	fmt.Fprintf(&b, "**%s**\n\n", strings.Join(parts, " · "))
	for i, g := range byArea(run.Results) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "### %s\n\n", mdText(g.Area))
		b.WriteString("| Requirement | Level | Status | Summary |\n|---|---|---|---|\n")
		for _, r := range g.Results {
			text := ""
			if req, ok := requirements.Lookup(requirements.ID(r.ID)); ok {
				text = "<br>" + mdText(req.Text)
			}
			mark, ok := statusMark[r.Status]
			if !ok {
				mark = mdText(oneLine(string(r.Status), 20))
			}
			fmt.Fprintf(&b, "| %s (%s)%s | %s | %s | %s |\n", mdCode(r.ID, true), mdText(r.Source), text,
				mdText(r.Level), mark, mdText(oneLine(r.Summary, maxMarkdownSummary)))
		}
	}
	var waived []string
	for _, r := range run.Results {
		if r.Status == results.Waived {
			waived = append(waived, mdCode(r.ID, false)+" ("+mdText(oneLine(waiverNote(r), maxMarkdownSummary))+")")
		}
	}
	if len(waived) > 0 {
		fmt.Fprintf(&b, "\n**Waived:** %s\n", strings.Join(waived, " · "))
	}
	writeMarkdownReproducers(&b, run)
	if len(run.Notes) > 0 {
		b.WriteString("\n**Notes:**\n\n")
		for _, n := range run.Notes {
			fmt.Fprintf(&b, "- %s\n", mdText(oneLine(n.Text, maxMarkdownSummary)))
		}
	}
	return []byte(b.String()), nil
}

// waiverNote is a waived result's waiver in a few words.
func waiverNote(r results.Result) string {
	w := r.Waiver
	if w == nil {
		return "no waiver recorded"
	}
	s := "was " + string(w.Status) + ": " + w.Reason
	if w.Expires != "" {
		s += ", until " + w.Expires
	}
	return s
}

// mdText makes s one line of plain Markdown text that is safe in a table
// cell: the characters that could start markup are backslash-escaped (so
// nothing turns into emphasis, a link, HTML, math or a code span, and |
// cannot split a cell) and line breaks become spaces. An underscore inside
// a word (invalid_grant) cannot start emphasis and is left as is, to keep
// the raw file readable. An @ that would mention someone is followed by a
// zero-width space, so that a pull-request comment pings nobody.
func mdText(s string) string {
	rs := []rune(oneLine(s, 0))
	var b strings.Builder
	for i, r := range rs {
		escape := strings.ContainsRune("\\`*[]<>|~&$", r)
		if r == '_' {
			escape = i == 0 || i == len(rs)-1 || !isWordRune(rs[i-1]) || !isWordRune(rs[i+1])
		}
		if escape {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r == '@' && i+1 < len(rs) && isWordRune(rs[i+1]) && (i == 0 || !isWordRune(rs[i-1])) {
			b.WriteRune('\u200b') // no @mention: a PR comment must not ping anyone
		}
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mdCode makes s an inline code span: the fence is longer than any run of
// backticks in s. In a table cell (cell) | is escaped as well; GFM removes
// the backslash there.
func mdCode(s string, cell bool) string {
	s = oneLine(s, 0)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	if cell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return fence + s + fence
}
