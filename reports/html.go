package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is report.html; html/template escapes every value for its
// context, and the page's Content-Security-Policy forbids scripts besides.
var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{"spans": codeSpans, "idParts": idParts}).Parse(htmlSource))

// htmlSpan is a piece of text, shown as code when Code is set.
type htmlSpan struct {
	Text string
	Code bool
}

// codeSpans splits s at its backticks so that the catalogue's `code`
// shows as code; an unpaired backtick stays as text.
func codeSpans(s string) []htmlSpan {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 { // odd number of backticks: nothing to pair
		return []htmlSpan{{Text: s}}
	}
	var out []htmlSpan
	for i, p := range parts {
		if p != "" {
			out = append(out, htmlSpan{Text: p, Code: i%2 == 1})
		}
	}
	return out
}

// idParts splits a requirement ID after each dot ("rfc7636." and
// "verifier-mismatch"), where report.html lets a narrow screen break the
// line (<wbr>) rather than in the middle of a word.
func idParts(id string) []string {
	return strings.SplitAfter(id, ".")
}

// HTML renders report.html: one self-contained page (inline CSS, no script,
// no external resource) with the run's header, a summary per status, a
// requirement × status matrix and, per requirement, its outcome and
// evidence in a <details> block that is open for fail and error. Every text
// is HTML-escaped; control characters are shown as visible symbols.
func HTML(run *results.Run) ([]byte, error) {
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, newHTMLPage(run)); err != nil {
		return nil, fmt.Errorf("render report.html: %w", err)
	}
	return b.Bytes(), nil
}

// htmlPage is what report.html.tmpl shows: every string already printable.
type htmlPage struct {
	Target, Issuer, Tool, Date string
	Policy, Stats, Clients     []htmlFact
	Outcome                    htmlOutcome
	Counts                     []htmlCount // every status, in display order
	Bar                        []htmlCount // the statuses that occur
	Total                      int
	Notes                      []htmlNote
	NotChecked                 []string
	Areas                      []htmlArea
}

// htmlArea is one area of the catalogue: a group of matrix rows and of
// details sections.
type htmlArea struct {
	Name, Anchor string
	Rows         []htmlRow
}

type htmlFact struct{ Name, Value string }

type htmlOutcome struct{ Status, Title, Detail string }

type htmlCount struct {
	Status, Label, Meaning string
	N                      int
}

type htmlNote struct{ Kind, Text string }

// htmlRow is one requirement: a matrix row and a details section.
type htmlRow struct {
	ID, Anchor, Level, Source, Text, Passes, Summary string
	Status                                           string // a CSS-safe status name
	Label                                            string // the status as shown
	Open, Noteworthy                                 bool
	Waiver                                           *htmlWaiver
	Duration                                         string
	Evidence                                         []results.Evidence
	// Reproducer is the script of a fail or warning ("" for the others).
	Reproducer string
}

type htmlWaiver struct{ Reason, Expires, Was string }

// statusOrder is the order of the summary; meanings explain each status.
var statusOrder = []struct {
	s       results.Status
	meaning string
}{
	{results.Pass, "the server behaved as required"},
	{results.Fail, "a MUST was violated"},
	{results.Warn, "a SHOULD was violated, or a weaker finding"},
	{results.Error, "could not be exercised"},
	{results.Waived, "a failure accepted by a baseline waiver"},
	{results.Skip, "does not apply under the policy"},
}

func newHTMLPage(run *results.Run) htmlPage {
	p := htmlPage{
		Target: printable(run.Target.Name),
		Issuer: printable(run.Target.Issuer),
		Tool:   printable(oneLine(run.Tool.Name+" "+run.Tool.Version, 0)),
		Date:   "—",
		Policy: []htmlFact{
			{"pkce_required", printable(run.Policy.PKCERequired)},
			{"plain", printable(run.Policy.Plain)},
			{"error_codes", printable(run.Policy.ErrorCodes)},
			{"profile", printable(PolicyProfile(run.Policy))},
		},
		Stats: []htmlFact{
			{"Duration", duration(run.Stats.DurationMS)},
			{"Browser logins", fmt.Sprint(run.Stats.Logins)},
			{"Codes minted", fmt.Sprint(run.Stats.CodesMinted)},
			{"HTTP requests", fmt.Sprint(run.Stats.HTTPRequests)},
		},
		Total: len(run.Results),
	}
	if run.Login != nil {
		p.Stats = append(p.Stats, htmlFact{"Login steps", printable(oneLine(run.Login.Summary(), 0))})
	}
	for _, c := range run.Clients {
		p.Clients = append(p.Clients, htmlFact{printable(c.Role) + " " + printable(c.ID), printable(strings.Join(c.AuthMethods, ", "))})
	}
	if !run.Generated.IsZero() {
		p.Date = run.Generated.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	counts := run.Counts()
	for _, so := range statusOrder {
		c := htmlCount{Status: string(so.s), Label: string(so.s), Meaning: so.meaning, N: counts[so.s]}
		p.Counts = append(p.Counts, c)
		if c.N > 0 {
			p.Bar = append(p.Bar, c)
		}
	}
	p.Outcome = outcomeOf(counts, len(run.Results))
	for _, n := range run.Notes {
		p.Notes = append(p.Notes, htmlNote{Kind: printable(string(n.Kind)), Text: printable(n.Text)})
	}
	seen := map[string]bool{}
	for _, g := range byArea(run.Results) {
		a := htmlArea{Name: printable(g.Area), Anchor: "area-" + anchorName(g.Area)}
		for _, r := range g.Results {
			seen[r.ID] = true
			a.Rows = append(a.Rows, newHTMLRow(r))
		}
		p.Areas = append(p.Areas, a)
	}
	for _, req := range requirements.All() {
		if !seen[string(req.ID)] {
			p.NotChecked = append(p.NotChecked, string(req.ID))
		}
	}
	return p
}

func newHTMLRow(r results.Result) htmlRow {
	row := htmlRow{
		ID:      printable(r.ID),
		Anchor:  "req-" + printable(r.ID),
		Level:   printable(r.Level),
		Source:  printable(r.Source),
		Summary: printable(r.Summary),
		Status:  statusClass(r.Status),
		Label:   oneLine(string(r.Status), 20),
		Open:    r.Status == results.Fail || r.Status == results.Error,
	}
	row.Noteworthy = r.Status != results.Pass
	if req, ok := requirements.Lookup(requirements.ID(r.ID)); ok {
		row.Text, row.Passes = req.Text, req.Passes
		if row.Source == "" {
			row.Source = req.Source
		}
	}
	if w := r.Waiver; w != nil {
		row.Waiver = &htmlWaiver{Reason: printable(w.Reason), Expires: printable(w.Expires), Was: printable(string(w.Status))}
		if row.Waiver.Expires == "" {
			row.Waiver.Expires = "never"
		}
	}
	if r.DurationMS > 0 {
		row.Duration = duration(r.DurationMS)
	}
	if r.Reproducer != "" && (r.Status == results.Fail || r.Status == results.Warn || r.Status == results.Waived) {
		row.Reproducer = printable(r.Reproducer)
	}
	for _, e := range r.Evidence {
		row.Evidence = append(row.Evidence, results.Evidence{
			Probe:    printable(e.Probe),
			Request:  printable(capText(e.Request, maxEvidenceBytes)),
			Response: printable(capText(e.Response, maxEvidenceBytes)),
		})
	}
	return row
}

// statusClass is s when it is a known status (used in CSS class names),
// else "unknown".
func statusClass(s results.Status) string {
	for _, so := range statusOrder {
		if so.s == s {
			return string(s)
		}
	}
	return "unknown"
}

// outcomeOf is the banner at the top: the worst that happened.
func outcomeOf(c map[results.Status]int, total int) htmlOutcome {
	waived := ""
	if n := c[results.Waived]; n > 0 {
		waived = fmt.Sprintf(" %s waived by the baseline.", plural(n, "requirement"))
	}
	switch {
	case total == 0:
		return htmlOutcome{"skip", "Nothing checked", "No requirement was checked in this run."}
	case c[results.Fail] > 0:
		return htmlOutcome{"fail", "Failed", fmt.Sprintf("%s failed.", plural(c[results.Fail], "MUST requirement")) + warnings(c) + waived}
	case c[results.Error] > 0:
		return htmlOutcome{"error", "Incomplete", fmt.Sprintf("%s could not be checked.", plural(c[results.Error], "requirement")) + warnings(c) + waived}
	case c[results.Warn] > 0:
		return htmlOutcome{"warn", "Passed with warnings", fmt.Sprintf("No MUST requirement failed.%s%s", warnings(c), waived)}
	}
	return htmlOutcome{"pass", "Passed", "Every requirement checked passed or did not apply." + waived}
}

func warnings(c map[results.Status]int) string {
	if n := c[results.Warn]; n > 0 {
		return fmt.Sprintf(" %s.", plural(n, "warning"))
	}
	return ""
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// duration formats milliseconds for people: "850 ms", "4.2 s", "2 min 05 s".
func duration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", ms)
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
}

// anchorName is s in lower case with every run of other characters than
// letters and digits turned into one '-'.
func anchorName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
