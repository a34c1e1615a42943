package reports

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// The JUnit shape as CI systems read it (the Jenkins/Ant schema that GitLab,
// Jenkins and the GitHub test reporters parse): only attributes those
// parsers know, messages on one line, and no character XML 1.0 forbids.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

// junitCounts are the attributes <testsuites> and <testsuite> share, in
// the order the schema lists them.
type junitCounts struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
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
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is a block of text, written as CDATA so that junit.xml stays
// readable (encoding/xml splits any "]]>" across two sections).
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// maxMessage bounds the one-line message attributes of junit.xml.
const maxMessage = 300

// JUnit renders junit.xml: one testcase per requirement, named
// "<ID>: <text>". fail is a <failure> (type = level), error an <error>,
// skip and waived a <skipped> (with the reason, or the waiver's), warn
// passes with the warning in <system-out>. Messages are one line; bodies
// (CDATA) carry the evidence. Control characters, which XML 1.0 forbids
// even as references, are shown as visible symbols (see printable). The suite's timestamp is the start of the run in UTC
// without a zone (the form the Jenkins schema wants), derived from
// Run.Generated and the duration; it is left out when Generated is zero.
func JUnit(run *results.Run) ([]byte, error) {
	s := junitSuite{
		Name:        "pkcecheck: " + printable(run.Target.Name),
		junitCounts: junitCounts{Time: seconds(run.Stats.DurationMS)},
		Properties: []junitProperty{
			{"target", printable(run.Target.Name)},
			{"issuer", printable(run.Target.Issuer)},
			{"policy.pkce_required", printable(run.Policy.PKCERequired)},
			{"policy.plain", printable(run.Policy.Plain)},
			{"policy.error_codes", printable(run.Policy.ErrorCodes)},
			{"tool.version", printable(run.Tool.Version)},
			{"stats.logins", fmt.Sprint(run.Stats.Logins)},
			{"stats.codes_minted", fmt.Sprint(run.Stats.CodesMinted)},
			{"stats.http_requests", fmt.Sprint(run.Stats.HTTPRequests)},
		},
	}
	if !run.Generated.IsZero() {
		start := run.Generated.Add(-time.Duration(run.Stats.DurationMS) * time.Millisecond)
		s.Timestamp = start.UTC().Format("2006-01-02T15:04:05")
	}
	for _, n := range run.Notes {
		s.Properties = append(s.Properties, junitProperty{"note." + string(n.Kind), oneLine(n.Text, maxMessage)})
	}
	for _, r := range run.Results {
		c := junitCase{Name: caseName(r), Classname: "pkcecheck." + group(r.ID), Time: seconds(r.DurationMS)}
		summary := oneLine(r.Summary, maxMessage)
		switch r.Status {
		case results.Fail:
			c.Failure = &junitProblem{Message: summary, Type: printable(r.Level), Text: evidenceText(r)}
			s.Failures++
		case results.Error:
			c.Error = &junitProblem{Message: summary, Type: "error", Text: evidenceText(r)}
			s.Errors++
		case results.Skip:
			c.Skipped = &junitSkipped{Message: oneLine("skipped: "+r.Summary, maxMessage)}
			s.Skipped++
		case results.Waived:
			c.Skipped = &junitSkipped{Message: oneLine(waiverLine(r), maxMessage)}
			c.SystemOut = &junitText{evidenceText(r)}
			s.Skipped++
		case results.Warn:
			c.SystemOut = &junitText{"warning (" + printable(r.Level) + "): " + evidenceText(r)}
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
	}
	doc := junitSuites{Name: "pkcecheck", junitCounts: s.junitCounts, Suites: []junitSuite{s}}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode junit.xml: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

// caseName is "<ID>: <text>", the requirement's one line from the catalogue.
func caseName(r results.Result) string {
	name := r.ID
	if req, ok := requirements.Lookup(requirements.ID(r.ID)); ok {
		name += ": " + req.Text
	}
	return oneLine(name, 0)
}

// waiverLine says why a result is waived, in one line.
func waiverLine(r results.Result) string {
	w := r.Waiver
	if w == nil {
		return "waived: " + r.Summary
	}
	until := "no expiry"
	if w.Expires != "" {
		until = "until " + w.Expires
	}
	return fmt.Sprintf("waived (%s; %s); was %s: %s", w.Reason, until, w.Status, r.Summary)
}

// seconds formats milliseconds as JUnit's decimal seconds.
func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

// group is the part of an ID before the dot ("rfc7636").
func group(id string) string {
	if i := strings.IndexByte(id, '.'); i > 0 {
		return printable(id[:i])
	}
	return printable(id)
}

// evidenceText lays out a result's summary and evidence as printable text.
func evidenceText(r results.Result) string {
	var b strings.Builder
	b.WriteString(r.Summary)
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "\n\n--- %s\n%s\n\n%s", e.Probe, e.Request, capText(e.Response, maxEvidenceBytes))
	}
	return printable(b.String())
}
