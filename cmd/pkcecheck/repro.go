package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pkcecheck/pkcecheck/reports"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// cmdRepro prints the reproducer of one requirement from an earlier run's
// results.json (no network): the script alone, or with --markdown a bug
// report around it (the requirement, its level, the RFC sections it rests
// on by reference, expected versus observed, the script).
//
// Exit status: 0 printed; 2 usage error, no results.json, an unknown ID, a
// requirement that did not fail or warn, or one without a reproducer.
func cmdRepro(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck repro", flag.ContinueOnError)
	dir := fs.String("results", "out", "the --out directory of an earlier run (where results.json is)")
	markdown := fs.Bool("markdown", false, "print a bug report in Markdown around the script")
	fs.SetOutput(stderr)
	var ids []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return &exitError{exitOK, errors.New("")}
			}
			return &exitError{exitUsage, errors.New("")}
		}
		if fs.NArg() == 0 {
			break
		}
		ids = append(ids, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(ids) != 1 {
		return usageErr("repro needs one requirement ID (pkcecheck repro --results DIR ID); got %d", len(ids))
	}
	id := ids[0]
	path := filepath.Join(*dir, reports.JSONFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return usageErr("read the results of an earlier run: %v (give its --out directory with --results)", err)
	}
	var run results.Run
	if err := json.Unmarshal(data, &run); err != nil {
		return usageErr("%s: not a results.json: %v", path, err)
	}
	var res *results.Result
	for i := range run.Results {
		if run.Results[i].ID == id {
			res = &run.Results[i]
		}
	}
	switch {
	case res == nil:
		if _, ok := requirements.Lookup(requirements.ID(id)); ok {
			return usageErr("%s was not checked in the run of %s", id, path)
		}
		return usageErr("%s is not a requirement ID (pkcecheck list shows them)", id)
	case res.Status != results.Fail && res.Status != results.Warn && res.Status != results.Waived:
		return usageErr("%s has status %s in %s: only a fail or a warning has a reproducer", id, res.Status, path)
	case res.Reproducer == "":
		return usageErr("%s (%s) has no reproducer in %s: its failing probe recorded no exchange (a run of an older pkcecheck?)", id, res.Status, path)
	}
	if !*markdown {
		fmt.Fprint(stdout, withNewline(res.Reproducer))
		return nil
	}
	fmt.Fprint(stdout, bugReport(&run, res))
	return nil
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// bugReport is the Markdown text of a bug report for one finding.
func bugReport(run *results.Run, r *results.Result) string {
	var b strings.Builder
	req, _ := requirements.Lookup(requirements.ID(r.ID))
	verdict := "violates a MUST"
	if r.Level != string(requirements.MUST) {
		verdict = "violates a " + r.Level
	}
	fmt.Fprintf(&b, "## %s %s: `%s`\n\n", run.Target.Name, verdict, r.ID)
	fmt.Fprintf(&b, "- **Requirement:** %s (%s)\n", r.ID, r.Level)
	fmt.Fprintf(&b, "- **Specification:** %s\n", specLinks(r.Source))
	if req.Text != "" {
		fmt.Fprintf(&b, "- **Expected:** %s", req.Text)
		if req.Passes != "" {
			fmt.Fprintf(&b, " (%s)", req.Passes)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "- **Observed:** %s: %s\n", r.Status, oneLineText(r.Summary))
	fmt.Fprintf(&b, "- **Server:** %s (issuer `%s`)\n", run.Target.Name, run.Target.Issuer)
	fmt.Fprintf(&b, "- **Policy:** pkce_required=%s, plain=%s, error_codes=%s, profile=%s\n",
		run.Policy.PKCERequired, run.Policy.Plain, run.Policy.ErrorCodes, reports.PolicyProfile(run.Policy))
	fmt.Fprintf(&b, "- **Found by:** %s %s\n\n", run.Tool.Name, run.Tool.Version)
	b.WriteString("### Reproduce\n\n")
	b.WriteString("Obtain fresh codes with the `pkcecheck code` line at the top of the script (or open the authorization URL it shows and log in), then run the script with `sh`; it prints each answer after what a conforming server answers.\n\n")
	fence := "```"
	for strings.Contains(r.Reproducer, fence) {
		fence += "`"
	}
	fmt.Fprintf(&b, "%ssh\n%s%s\n", fence, withNewline(r.Reproducer), fence)
	return b.String()
}

var rfcRef = regexp.MustCompile(`RFC (\d{4})((?:[ ,]*§[0-9.]+)*)`)
var sectionRef = regexp.MustCompile(`§([0-9.]*[0-9])`)

// specLinks links each "RFC NNNN §x.y" of a source to the RFC Editor's
// text of that section; other references stay as written.
func specLinks(source string) string {
	return rfcRef.ReplaceAllStringFunc(source, func(m string) string {
		sub := rfcRef.FindStringSubmatch(m)
		rfc := sub[1]
		secs := sectionRef.FindAllStringSubmatch(sub[2], -1)
		if len(secs) == 0 {
			return fmt.Sprintf("[RFC %s](https://www.rfc-editor.org/rfc/rfc%s)", rfc, rfc)
		}
		var links []string
		for _, s := range secs {
			links = append(links, fmt.Sprintf("[RFC %s §%s](https://www.rfc-editor.org/rfc/rfc%s#section-%s)", rfc, s[1], rfc, s[1]))
		}
		return strings.Join(links, ", ")
	})
}
