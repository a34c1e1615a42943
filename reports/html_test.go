package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// node is an element of report.html, parsed back with encoding/xml: the
// template writes well-formed XHTML-compatible HTML, so a strict XML parse
// checks that every tag is closed and every attribute quoted.
type node struct {
	name     string
	attr     map[string]string
	children []*node
	text     strings.Builder // all character data below, in order
}

func parseHTML(t *testing.T, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("report.html is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			// element boundaries separate words, as on screen; <wbr /> only
			// allows a line break inside a word
			if tok.Name.Local != "wbr" {
				space(stack)
			}
			n := &node{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if tok.Name.Local != "wbr" {
				space(stack)
			}
		case xml.CharData:
			for _, n := range stack {
				n.text.Write(tok)
			}
		}
	}
	if len(stack) != 1 {
		t.Fatalf("report.html has %d unclosed elements", len(stack)-1)
	}
	return root
}

func space(stack []*node) {
	for _, n := range stack {
		n.text.WriteByte(' ')
	}
}

// all returns the elements below n (depth first) for which ok is true.
func (n *node) all(ok func(*node) bool) []*node {
	var out []*node
	for _, c := range n.children {
		if ok(c) {
			out = append(out, c)
		}
		out = append(out, c.all(ok)...)
	}
	return out
}

func (n *node) one(t *testing.T, what string, ok func(*node) bool) *node {
	t.Helper()
	found := n.all(ok)
	if len(found) != 1 {
		t.Fatalf("%d elements for %s, want 1", len(found), what)
	}
	return found[0]
}

func byID(id string) func(*node) bool   { return func(n *node) bool { return n.attr["id"] == id } }
func byTag(tag string) func(*node) bool { return func(n *node) bool { return n.name == tag } }
func byClass(class string) func(*node) bool {
	return func(n *node) bool {
		for _, c := range strings.Fields(n.attr["class"]) {
			if c == class {
				return true
			}
		}
		return false
	}
}

func (n *node) str() string { return strings.Join(strings.Fields(n.text.String()), " ") }

func TestHTMLReport(t *testing.T) {
	run := sampleRun()
	data, err := HTML(run)
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("PKCECHECK_EXAMPLE_HTML"); p != "" { // to look at it: go test -run TestHTMLReport
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw := string(data)
	if !strings.HasPrefix(raw, "<!DOCTYPE html>\n<html lang=\"en\">") {
		t.Errorf("report.html does not start with the HTML5 doctype: %.40q", raw)
	}
	// Self-contained and script-free: no script, no external resource.
	lower := strings.ToLower(raw)
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", " src=", "@import", "url(", `href="http`, "javascript:"} {
		if strings.Contains(lower, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	if !strings.Contains(raw, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />`) {
		t.Error("report.html has no Content-Security-Policy")
	}
	doc := parseHTML(t, data)

	// Header.
	if got := doc.one(t, "h1", byTag("h1")).str(); got != "keycloak-staging" {
		t.Errorf("h1 = %q", got)
	}
	if got := doc.one(t, "title", byTag("title")).str(); got != "PKCE conformance: keycloak-staging (Failed)" {
		t.Errorf("title = %q", got)
	}
	facts := doc.one(t, "facts", byID("facts")).str()
	for _, want := range []string{
		"Date 2026-05-04 09:30:12 UTC", "Tool pkcecheck v0.4.0", fmt.Sprintf("Requirements %d checked", len(run.Results)),
		"pkce_required public", "plain forbidden", "error_codes strict",
		"Duration 18.4 s", "Browser logins 1", "Codes minted 61", "HTTP requests 143",
	} {
		if !strings.Contains(facts, want) {
			t.Errorf("header facts lack %q: %s", want, facts)
		}
	}
	if got := doc.one(t, "issuer", byClass("issuer")).str(); got != "Issuer https://kc.example.com/realms/demo" {
		t.Errorf("issuer = %q", got)
	}
	outcome := doc.one(t, "outcome", byID("outcome"))
	if outcome.attr["class"] != "outcome o-fail" || outcome.str() != "Failed 2 MUST requirements failed. 3 warnings. 1 requirement waived by the baseline." {
		t.Errorf("outcome = %q (%s)", outcome.str(), outcome.attr["class"])
	}

	// Summary: one tile per status with its count.
	counts := run.Counts()
	for _, so := range statusOrder {
		tile := doc.one(t, "tile "+string(so.s), byID("count-"+string(so.s)))
		n := tile.one(t, "count", byClass("n")).str()
		if want := strconv.Itoa(counts[so.s]); n != want {
			t.Errorf("tile %s = %s, want %s", so.s, n, want)
		}
	}
	if segs := doc.one(t, "bar", byClass("bar")).all(byTag("span")); len(segs) != 6 {
		t.Errorf("%d bar segments, want 6", len(segs))
	}

	// Notes.
	if notes := doc.one(t, "notes", byID("notes")).all(byTag("li")); len(notes) != 2 ||
		!strings.Contains(notes[0].str(), "waiver for rfc7636.verifier-charset expired on 2026-04-30") ||
		notes[0].attr["class"] != "n-waiver-expired" {
		t.Errorf("notes = %d", len(notes))
	}

	// Matrix: one row per requirement, with its badge, grouped by area:
	// one tbody per area, headed by its name; the details sections the same.
	var ordered []results.Result
	var areaNames []string
	for _, g := range byArea(run.Results) {
		ordered = append(ordered, g.Results...)
		areaNames = append(areaNames, g.Area)
	}
	if len(areaNames) < 2 {
		t.Fatalf("fixture covers %d area(s), want several", len(areaNames))
	}
	var rows []*node
	tbodies := doc.one(t, "matrix", byID("matrix")).all(byTag("tbody"))
	if len(tbodies) != len(areaNames) {
		t.Fatalf("%d tbody, want one per area (%d)", len(tbodies), len(areaNames))
	}
	for i, tb := range tbodies {
		trs := tb.all(byTag("tr"))
		if head := trs[0]; head.attr["class"] != "area-head" || head.str() != areaNames[i] {
			t.Errorf("tbody %d head %q %q, want area %q", i, head.attr["class"], head.str(), areaNames[i])
		}
		rows = append(rows, trs[1:]...)
	}
	if len(rows) != len(run.Results) {
		t.Fatalf("%d matrix rows, want %d", len(rows), len(run.Results))
	}
	sections := doc.all(byClass("area"))
	var heads []string
	for _, s := range sections {
		if s.name == "section" {
			heads = append(heads, s.one(t, "area heading", byTag("h3")).str())
		}
	}
	if strings.Join(heads, "|") != strings.Join(areaNames, "|") {
		t.Errorf("details areas %v, want %v", heads, areaNames)
	}
	details := doc.all(byClass("req"))
	if repros := doc.all(byClass("repro")); len(repros) != 2 { // the folded block and its <pre>
		t.Errorf("%d reproducer elements, want the one of rfc7636.verifier-mismatch", len(repros))
	}
	if len(details) != len(run.Results) {
		t.Fatalf("%d details sections, want %d", len(details), len(run.Results))
	}
	for i, r := range ordered {
		req, _ := requirements.Lookup(requirements.ID(r.ID))
		row := rows[i]
		if row.attr["id"] != "row-"+r.ID || row.attr["class"] != "r-"+string(r.Status) {
			t.Errorf("row %d: id %q class %q", i, row.attr["id"], row.attr["class"])
		}
		tds := row.all(byTag("td"))
		if len(tds) != 5 {
			t.Fatalf("row %s has %d cells", r.ID, len(tds))
		}
		if a := tds[0].one(t, "link", byTag("a")); a.attr["href"] != "#req-"+r.ID || a.str() != r.ID {
			t.Errorf("row %s link %q %q", r.ID, a.attr["href"], a.str())
		}
		if tds[1].str() != r.Level || tds[2].str() != r.Source || !strings.HasPrefix(tds[3].str(), req.Text) {
			t.Errorf("row %s cells %q %q %q", r.ID, tds[1].str(), tds[2].str(), tds[3].str())
		}
		if (r.Status != results.Pass) != strings.Contains(tds[3].str(), r.Summary) { // no backticks in these
			t.Errorf("row %s: summary shown = %v for status %s", r.ID, !(r.Status != results.Pass), r.Status)
		}
		badge := tds[4].one(t, "badge", byClass("badge"))
		if badge.attr["class"] != "badge s-"+string(r.Status) || badge.str() != string(r.Status) {
			t.Errorf("row %s badge %q %q", r.ID, badge.attr["class"], badge.str())
		}

		// Details: open for fail and error, with the summary and evidence.
		d := details[i]
		if d.attr["id"] != "req-"+r.ID {
			t.Errorf("details %d id %q", i, d.attr["id"])
		}
		_, open := d.attr["open"]
		if want := r.Status == results.Fail || r.Status == results.Error; open != want {
			t.Errorf("details %s open = %v, want %v", r.ID, open, want)
		}
		if !strings.Contains(d.str(), "Outcome "+strings.Join(strings.Fields(strings.ReplaceAll(r.Summary, "`", "")), " ")) {
			t.Errorf("details %s lack the summary", r.ID)
		}
		var pres []*node
		for _, p := range d.all(byTag("pre")) {
			if byClass("repro")(p) {
				if p.text.String() != r.Reproducer {
					t.Errorf("details %s: the reproducer does not read back exactly", r.ID)
				}
				continue
			}
			pres = append(pres, p)
		}
		if len(pres) != 2*len(r.Evidence) {
			t.Fatalf("details %s: %d <pre>, want %d", r.ID, len(pres), 2*len(r.Evidence))
		}
		for j, e := range r.Evidence {
			if pres[2*j].text.String() != e.Request || pres[2*j+1].text.String() != e.Response {
				t.Errorf("details %s evidence %d does not read back exactly", r.ID, j)
			}
		}
		if len(r.Evidence) == 0 && !strings.Contains(d.str(), "No evidence recorded.") {
			t.Errorf("details %s: no note for missing evidence", r.ID)
		}
		if r.Status == results.Waived {
			w := d.one(t, "waiver", byClass("waiver")).str()
			if w != "Waived (was fail, expires 2026-06-30): proxy rewrites Cache-Control; OPS-1234" {
				t.Errorf("waiver block = %q", w)
			}
		}
	}

	// The script in an error page is text, escaped, in the evidence.
	if !strings.Contains(raw, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the escaped script is not in the evidence")
	}
	if len(doc.all(byID("not-checked"))) != 0 {
		t.Error("a not-checked line although the whole catalogue was checked")
	}
}

func TestHTMLNotCheckedAndEmpty(t *testing.T) {
	run := sampleRun()
	run.Results = run.Results[:3]
	run.Notes = nil
	data, err := HTML(run)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, data)
	nc := doc.one(t, "not-checked", byID("not-checked"))
	if codes := nc.all(byTag("code")); len(codes) != len(requirements.All())-3 || codes[0].str() != string(requirements.All()[3].ID) {
		t.Errorf("not-checked lists %d IDs", len(codes))
	}
	if len(doc.all(byID("notes"))) != 0 {
		t.Error("a notes section without notes")
	}

	data, err = HTML(&results.Run{Target: results.Target{Name: "empty"}})
	if err != nil {
		t.Fatal(err)
	}
	doc = parseHTML(t, data)
	if got := doc.one(t, "outcome", byID("outcome")).str(); got != "Nothing checked No requirement was checked in this run." {
		t.Errorf("outcome = %q", got)
	}
	if got := doc.one(t, "date", byID("facts")).str(); !strings.Contains(got, "Date —") {
		t.Errorf("facts without a date: %q", got)
	}
}

func TestHTMLHostile(t *testing.T) {
	run := hostileRun()
	run.Results[0].Status = "<b>bogus</b>" // an unknown status must not leak into class names
	data, err := HTML(run)
	if err != nil {
		t.Fatal(err)
	}
	raw := string(data)
	if strings.Contains(strings.ToLower(raw), "<script") || strings.Contains(raw, "<b>") {
		t.Fatal("markup from the run reached report.html unescaped")
	}
	for i, r := range raw {
		if !xmlChar(r) || (r < 0x20 && r != '\n' && r != '\t' && r != '\r') {
			t.Fatalf("report.html has %U at byte %d", r, i)
		}
	}
	doc := parseHTML(t, data)
	if got := doc.one(t, "h1", byTag("h1")).str(); !strings.HasPrefix(got, `target <script>alert(1)</script> ]]> "dq" 'sq' a|b`) {
		t.Errorf("h1 = %q", got)
	}
	rows := doc.all(byTag("tbody"))[0].all(byTag("tr"))[1:] // after the area head
	if rows[0].attr["class"] != "r-unknown" {
		t.Errorf("unknown status class = %q", rows[0].attr["class"])
	}
	pre := doc.all(byTag("pre"))[1].text.String()
	if !strings.Contains(pre, "<script>alert(1)</script> ]]> \"dq\" 'sq'") || !strings.Contains(pre, "line␀nul␁soh␈bs␋vt␌ff␛esc␡del \uFFFD bad utf8 \uFFFD") {
		t.Errorf("evidence does not read back as visible text: %q", pre)
	}
}

func TestCodeSpans(t *testing.T) {
	tests := []struct {
		in   string
		want []htmlSpan
	}{
		{"plain", []htmlSpan{{"plain", false}}},
		{"`code_verifier=` is answered", []htmlSpan{{"code_verifier=", true}, {" is answered", false}}},
		{"a `b` c `d`", []htmlSpan{{"a ", false}, {"b", true}, {" c ", false}, {"d", true}}},
		{"one ` only", []htmlSpan{{"one ` only", false}}},
	}
	for _, tt := range tests {
		if got := codeSpans(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("codeSpans(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	data, err := HTML(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "<dd><code>code_verifier=</code> is answered with an error and no token</dd>") {
		t.Error("the catalogue's code spans are not shown as code")
	}
}

func TestDuration(t *testing.T) {
	for ms, want := range map[int64]string{0: "0 ms", 850: "850 ms", 4200: "4.2 s", 59949: "59.9 s", 125000: "2 min 05 s"} {
		if got := duration(ms); got != want {
			t.Errorf("duration(%d) = %q, want %q", ms, got, want)
		}
	}
}
