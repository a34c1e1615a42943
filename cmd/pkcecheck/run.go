package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/pkcecheck/pkcecheck/internal/baseline"
	"github.com/pkcecheck/pkcecheck/internal/results"
	"github.com/pkcecheck/pkcecheck/internal/runner"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/reports"
)

// commonFlags are the flags run and demo share.
type commonFlags struct {
	out         string
	labelFilter string
	verbose     bool
	chromium    string
	baseline    string
	failOn      string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.out, "out", "out", "directory for junit.xml, results.json, report.md and browser failure artifacts")
	fs.StringVar(&c.labelFilter, "label-filter", "", "Ginkgo label filter over requirement IDs, e.g. 'rfc7636.verifier-mismatch || rfc6749.code-single-use'")
	fs.BoolVar(&c.verbose, "verbose", false, "print every spec as it runs")
	fs.StringVar(&c.chromium, "chromium", "", "Chromium binary (default: $PKCECHECK_CHROMIUM, then chromium on PATH)")
	fs.StringVar(&c.baseline, "baseline", "", "YAML file of waivers: known failures that do not fail the run until they expire")
	fs.StringVar(&c.failOn, "fail-on", "must", "which violations fail the run: must (fail results) or should (warnings too)")
}

// parseFlags parses args with fs, turning problems into usage errors.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{exitOK, errors.New("")}
		}
		return &exitError{exitUsage, errors.New("")}
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck run", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	profilePath := fs.String("profile", "", "the target's YAML profile (required)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *profilePath == "" {
		return usageErr("run needs --profile FILE")
	}
	p, err := profiles.Load(*profilePath)
	if err != nil {
		return &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
	}
	return execute(ctx, p, cf, stdout, stderr)
}

// execute runs the suites against p, writes the reports and maps the
// outcome to an exit status.
func execute(ctx context.Context, p *profiles.Profile, cf commonFlags, stdout, stderr io.Writer) error {
	failOn, err := baseline.ParseFailOn(cf.failOn)
	if err != nil {
		return usageErr("%v", err)
	}
	var waivers *baseline.Baseline
	if cf.baseline != "" {
		if waivers, err = baseline.Load(cf.baseline); err != nil {
			return &exitError{exitUsage, fmt.Errorf("baseline: %w", err)}
		}
	}
	tty := isTerminal(stdout)
	run, err := runner.Execute(ctx, p, runner.Options{
		OutDir: cf.out, LabelFilter: cf.labelFilter, Verbose: cf.verbose, Color: tty,
		Chromium: cf.chromium, Log: stderr, Version: version(),
	})
	var te *runner.TargetError
	if errors.As(err, &te) {
		return targetErr(te)
	}
	if run == nil {
		return targetErr(err)
	}
	if waivers != nil {
		for _, n := range baseline.Apply(run, waivers, time.Now()) {
			fmt.Fprintln(stderr, "baseline:", n.Text)
		}
	}
	if werr := reports.WriteAll(cf.out, run); werr != nil {
		return targetErr(werr)
	}
	printSummary(stdout, run, cf.out)
	if err != nil { // interrupted: the reports hold what was done
		return &exitError{exitInterrupted, fmt.Errorf("interrupted: %w", err)}
	}
	if len(run.Results) == 0 {
		return &exitError{exitUsage, errors.New("no requirement was checked (does --label-filter match any requirement ID? see pkcecheck list)")}
	}
	if v := baseline.Judge(run, failOn); v.Code != exitOK {
		return &exitError{v.Code, errors.New(v.Reason())}
	}
	return nil
}

// printSummary writes one line per requirement and where the reports are.
func printSummary(w io.Writer, run *results.Run, out string) {
	fmt.Fprintf(w, "\npkcecheck: %s (%s)\n", run.Target.Name, run.Target.Issuer)
	for _, r := range run.Results {
		fmt.Fprintf(w, "  %-6s %-30s %s\n", strings.ToUpper(string(r.Status)), r.ID, r.Summary)
	}
	c := run.Counts()
	fmt.Fprintf(w, "%d requirements: %d pass, %d fail, %d warn, %d error, %d skip, %d waived · %d ms, %d login(s), %d codes, %d HTTP requests\n",
		len(run.Results), c[results.Pass], c[results.Fail], c[results.Warn], c[results.Error], c[results.Skip], c[results.Waived],
		run.Stats.DurationMS, run.Stats.Logins, run.Stats.CodesMinted, run.Stats.HTTPRequests)
	fmt.Fprintf(w, "reports: %s, %s, %s, %s\n", filepath.Join(out, reports.JUnitFile), filepath.Join(out, reports.JSONFile),
		filepath.Join(out, reports.HTMLFile), filepath.Join(out, reports.MarkdownFile))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == ""
}
