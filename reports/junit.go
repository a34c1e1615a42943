package reports

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/pkcecheck/pkcecheck/internal/requirements"
	"github.com/pkcecheck/pkcecheck/internal/results"
)

// The JUnit schema as CI systems read it (Jenkins, GitLab, GitHub reporters).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit renders junit.xml: one testcase per requirement, named by its ID and
// one-line text. fail is a <failure>, error an <error>, skip a <skipped>;
// warn passes with the warning in <system-out>.
func JUnit(run *results.Run) ([]byte, error) {
	secs := fmt.Sprintf("%.3f", float64(run.Stats.DurationMS)/1000)
	s := junitSuite{
		Name: "pkcecheck: " + run.Target.Name,
		Time: secs,
		Properties: []junitProperty{
			{"issuer", run.Target.Issuer},
			{"policy.pkce_required", run.Policy.PKCERequired},
			{"policy.plain", run.Policy.Plain},
			{"policy.error_codes", run.Policy.ErrorCodes},
			{"tool.version", run.Tool.Version},
		},
	}
	for _, r := range run.Results {
		text := r.ID
		if req, ok := requirements.Lookup(r.ID); ok {
			text += ": " + req.Text
		}
		c := junitCase{Name: text, Classname: "pkcecheck." + group(r.ID), Time: "0"}
		detail := evidenceText(r)
		switch r.Status {
		case results.Fail:
			c.Failure = &junitProblem{Message: r.Summary, Type: r.Level, Text: detail}
			s.Failures++
		case results.Error:
			c.Error = &junitProblem{Message: r.Summary, Type: "error", Text: detail}
			s.Errors++
		case results.Skip, results.Waived:
			c.Skipped = &junitSkipped{Message: string(r.Status) + ": " + r.Summary}
			s.Skipped++
		case results.Warn:
			c.SystemOut = "warning (" + r.Level + "): " + r.Summary + "\n\n" + detail
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
	}
	doc := junitSuites{
		Name: "pkcecheck", Tests: s.Tests, Failures: s.Failures, Errors: s.Errors,
		Skipped: s.Skipped, Time: secs, Suites: []junitSuite{s},
	}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

// group is the part of an ID before the dot ("rfc7636").
func group(id string) string {
	if i := strings.IndexByte(id, '.'); i > 0 {
		return id[:i]
	}
	return id
}

// evidenceText lays out a result's evidence as plain text.
func evidenceText(r results.Result) string {
	var b strings.Builder
	b.WriteString(r.Summary)
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "\n\n--- %s\n%s\n\n%s", e.Probe, e.Request, e.Response)
	}
	return b.String()
}
