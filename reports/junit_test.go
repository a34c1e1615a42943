package reports

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// The JUnit schema that Jenkins and GitLab read (Ant's junit.xsd as the
// Jenkins plugin extends it), as strict structs: any attribute or element
// outside it lands in an Unknown field, which the tests require to be empty.
type xTestsuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    *int         `xml:"tests,attr"`
	Failures *int         `xml:"failures,attr"`
	Errors   *int         `xml:"errors,attr"`
	Skipped  *int         `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []xTestsuite `xml:"testsuite"`
	Unknown  []xml.Attr   `xml:",any,attr"`
	UnknownE []xAny       `xml:",any"`
}

type xTestsuite struct {
	Name       string      `xml:"name,attr"`
	Tests      *int        `xml:"tests,attr"`
	Failures   *int        `xml:"failures,attr"`
	Errors     *int        `xml:"errors,attr"`
	Skipped    *int        `xml:"skipped,attr"`
	Time       string      `xml:"time,attr"`
	Timestamp  string      `xml:"timestamp,attr"`
	Properties []xProperty `xml:"properties>property"`
	Cases      []xCase     `xml:"testcase"`
	Unknown    []xml.Attr  `xml:",any,attr"`
	UnknownE   []xAny      `xml:",any"`
}

type xProperty struct {
	Name    *string    `xml:"name,attr"`
	Value   *string    `xml:"value,attr"`
	Unknown []xml.Attr `xml:",any,attr"`
}

type xCase struct {
	Name      string     `xml:"name,attr"`
	Classname string     `xml:"classname,attr"`
	Time      string     `xml:"time,attr"`
	Failure   []xProblem `xml:"failure"`
	Error     []xProblem `xml:"error"`
	Skipped   []xProblem `xml:"skipped"`
	SystemOut []string   `xml:"system-out"`
	SystemErr []string   `xml:"system-err"`
	Unknown   []xml.Attr `xml:",any,attr"`
	UnknownE  []xAny     `xml:",any"`
}

type xProblem struct {
	Message *string    `xml:"message,attr"`
	Type    *string    `xml:"type,attr"`
	Text    string     `xml:",chardata"`
	Unknown []xml.Attr `xml:",any,attr"`
}

type xAny struct{ XMLName xml.Name }

func parseJUnit(t *testing.T, data []byte) xTestsuites {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Fatalf("junit.xml has no XML declaration:\n%.200s", data)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var doc xTestsuites
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, data)
	}
	if len(doc.Unknown) > 0 || len(doc.UnknownE) > 0 {
		t.Errorf("testsuites has attributes/elements outside the schema: %v %v", doc.Unknown, doc.UnknownE)
	}
	for _, s := range doc.Suites {
		if len(s.Unknown) > 0 || len(s.UnknownE) > 0 {
			t.Errorf("testsuite has attributes/elements outside the schema: %v %v", s.Unknown, s.UnknownE)
		}
		for _, p := range s.Properties {
			if p.Name == nil || p.Value == nil || len(p.Unknown) > 0 {
				t.Errorf("property without name/value or with extras: %+v", p)
			}
		}
		for _, c := range s.Cases {
			if len(c.Unknown) > 0 || len(c.UnknownE) > 0 {
				t.Errorf("testcase %q has attributes/elements outside the schema: %v %v", c.Name, c.Unknown, c.UnknownE)
			}
			if c.Name == "" || c.Classname == "" || c.Time == "" {
				t.Errorf("testcase without name, classname or time: %+v", c)
			}
			if n := len(c.Failure) + len(c.Error) + len(c.Skipped); n > 1 {
				t.Errorf("testcase %q has %d outcome elements, want at most one", c.Name, n)
			}
			for _, p := range append(append(append([]xProblem{}, c.Failure...), c.Error...), c.Skipped...) {
				if len(p.Unknown) > 0 {
					t.Errorf("testcase %q outcome has extra attributes %v", c.Name, p.Unknown)
				}
			}
		}
	}
	return doc
}

func TestJUnitShapeAndCounts(t *testing.T) {
	run := sampleRun()
	data, err := JUnit(run)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseJUnit(t, data)
	counts := run.Counts()
	wantFail, wantErr, wantSkip := counts[results.Fail], counts[results.Error], counts[results.Skip]+counts[results.Waived]
	if len(doc.Suites) != 1 {
		t.Fatalf("%d testsuites, want 1", len(doc.Suites))
	}
	s := doc.Suites[0]
	for _, c := range []struct {
		what       string
		tests, f   *int
		e, skipped *int
	}{{"testsuites", doc.Tests, doc.Failures, doc.Errors, doc.Skipped}, {"testsuite", s.Tests, s.Failures, s.Errors, s.Skipped}} {
		if c.tests == nil || *c.tests != len(run.Results) || *c.f != wantFail || *c.e != wantErr || *c.skipped != wantSkip {
			t.Errorf("%s counts tests=%v failures=%v errors=%v skipped=%v; want %d %d %d %d",
				c.what, *c.tests, *c.f, *c.e, *c.skipped, len(run.Results), wantFail, wantErr, wantSkip)
		}
	}
	if doc.Time != "18.432" || s.Time != "18.432" {
		t.Errorf("time = %q/%q, want 18.432", doc.Time, s.Time)
	}
	if s.Timestamp != "2026-05-04T09:29:53" { // Generated − 18.432 s, whole seconds, UTC, no zone
		t.Errorf("timestamp = %q", s.Timestamp)
	}
	props := map[string]string{}
	for _, p := range s.Properties {
		props[*p.Name] = *p.Value
	}
	if props["issuer"] != run.Target.Issuer || props["policy.pkce_required"] != "public" || props["stats.codes_minted"] != "61" {
		t.Errorf("properties = %v", props)
	}
	if !strings.HasPrefix(props["note.waiver-expired"], "waiver for rfc7636.verifier-charset expired") {
		t.Errorf("baseline note missing from properties: %v", props)
	}
	if len(s.Cases) != len(run.Results) {
		t.Fatalf("%d testcases, want %d", len(s.Cases), len(run.Results))
	}
	for i, r := range run.Results {
		c := s.Cases[i]
		req, _ := requirements.Lookup(requirements.ID(r.ID))
		if want := r.ID + ": " + req.Text; c.Name != want {
			t.Errorf("testcase name %q, want %q", c.Name, want)
		}
		if want := "pkcecheck." + strings.SplitN(r.ID, ".", 2)[0]; c.Classname != want {
			t.Errorf("classname %q, want %q", c.Classname, want)
		}
		has := func(ps []xProblem) bool { return len(ps) == 1 }
		switch r.Status {
		case results.Fail:
			if !has(c.Failure) || *c.Failure[0].Message != r.Summary || *c.Failure[0].Type != "MUST" || !strings.Contains(c.Failure[0].Text, r.Evidence[0].Response) {
				t.Errorf("fail %s: %+v", r.ID, c)
			}
		case results.Error:
			if !has(c.Error) || *c.Error[0].Message != r.Summary {
				t.Errorf("error %s: %+v", r.ID, c)
			}
		case results.Skip:
			if !has(c.Skipped) || *c.Skipped[0].Message != "skipped: "+r.Summary {
				t.Errorf("skip %s: %+v", r.ID, c)
			}
		case results.Waived:
			if !has(c.Skipped) || !strings.Contains(*c.Skipped[0].Message, "proxy rewrites Cache-Control; OPS-1234; until 2026-06-30") {
				t.Errorf("waived %s: %+v", r.ID, c)
			}
			if c.Time != "0.412" {
				t.Errorf("waived %s time %q, want 0.412", r.ID, c.Time)
			}
		case results.Warn:
			if has(c.Failure) || has(c.Error) || has(c.Skipped) || len(c.SystemOut) != 1 || !strings.HasPrefix(c.SystemOut[0], "warning ("+r.Level+"): "+r.Summary) {
				t.Errorf("warn %s: %+v", r.ID, c)
			}
		case results.Pass:
			if has(c.Failure) || has(c.Error) || has(c.Skipped) || len(c.SystemOut) != 0 {
				t.Errorf("pass %s: %+v", r.ID, c)
			}
		}
	}
}

// xmlChar is XML 1.0's Char production.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

func TestJUnitHostileText(t *testing.T) {
	data, err := JUnit(hostileRun())
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(data) {
		t.Fatal("junit.xml is not valid UTF-8")
	}
	for i, r := range string(data) {
		if !xmlChar(r) {
			t.Fatalf("junit.xml has %U at byte %d, which XML 1.0 forbids", r, i)
		}
	}
	// Character references to forbidden characters are not allowed either.
	for _, ref := range []string{"&#x0;", "&#x1;", "&#x1B;", "&#0;", "&#27;"} {
		if bytes.Contains(data, []byte(ref)) {
			t.Errorf("junit.xml contains %s", ref)
		}
	}
	attrs := regexp.MustCompile(`message="([^"]*)"`).FindAllSubmatch(data, -1)
	if len(attrs) != 4 {
		t.Fatalf("%d message attributes, want 4", len(attrs))
	}
	for _, a := range attrs {
		if !bytes.Contains(a[1], []byte(`&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &#34;dq&#34;`)) || bytes.ContainsAny(a[1], "<>\n") {
			t.Errorf("message attribute not escaped: %s", a[1])
		}
	}
	doc := parseJUnit(t, data)
	cases := doc.Suites[0].Cases
	if len(cases) != 6 {
		t.Fatalf("%d testcases, want 6", len(cases))
	}
	var messages []string
	for _, c := range cases {
		for _, p := range append(append(append([]xProblem{}, c.Failure...), c.Error...), c.Skipped...) {
			messages = append(messages, *p.Message)
		}
	}
	if len(messages) != 4 { // fail, error, skip, waived
		t.Fatalf("%d outcome messages, want 4", len(messages))
	}
	for _, m := range messages {
		if strings.ContainsAny(m, "\r\n") {
			t.Errorf("message is not one line: %q", m)
		}
		if utf8.RuneCountInString(m) > maxMessage {
			t.Errorf("message longer than %d runes: %q", maxMessage, m)
		}
		if !strings.Contains(m, `<script>alert(1)</script> ]]> "dq" 'sq'`) || !strings.Contains(m, "line␀nul␁soh") {
			t.Errorf("message lost the text it should carry: %q", m)
		}
	}
	fail := cases[1].Failure[0]
	if !strings.Contains(fail.Text, "<script>alert(1)</script> ]]> \"dq\" 'sq' a|b") {
		t.Errorf("failure body does not carry markup and the CDATA end as text:\n%q", fail.Text)
	}
	if !strings.Contains(fail.Text, "\nsecond line␀nul␁soh␈bs␋vt␌ff␛esc␡del \uFFFD bad utf8 \uFFFD") {
		t.Errorf("failure body does not keep the evidence with visible control characters:\n%q", fail.Text)
	}
}
