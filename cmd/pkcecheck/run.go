package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/internal/baseline"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/reports"
	"github.com/pkcecheck/pkcecheck/session"
)

// commonFlags are the flags run and demo share.
type commonFlags struct {
	out         string
	labelFilter string
	verbose     bool
	quiet       bool
	browserOnly bool
	httpFirst   bool
	chromium    string
	baseline    string
	failOn      string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.out, "out", "out", "directory for junit.xml, results.json, report.md and browser failure artifacts")
	fs.StringVar(&c.labelFilter, "label-filter", "", "Ginkgo label filter over requirement IDs, e.g. 'rfc7636.verifier-mismatch || rfc6749.code-single-use'")
	fs.BoolVar(&c.verbose, "verbose", false, "also print Ginkgo's report of every spec as it runs")
	fs.BoolVar(&c.quiet, "quiet", false, "print only the final summary and errors")
	fs.BoolVar(&c.browserOnly, "browser-only", false, "mint every code in the browser (no HTTP fast path after the login)")
	fs.BoolVar(&c.httpFirst, "http-first", false, "log in over HTTP too (the profile's steps on server-rendered forms); Chromium starts only if a page needs it")
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
	if cf.quiet && cf.verbose {
		return usageErr("--quiet and --verbose exclude each other")
	}
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
	style := styleFor(stdout, cf.quiet, cf.verbose)
	con := newConsole(stdout, style)
	defer con.finish()
	var logw io.Writer = stderr
	if cf.quiet {
		logw = nil
	}
	// Ginkgo's own reporter (dots, failure blocks) only under --verbose: the
	// console shows the requirements.
	ginkgoOut := io.Discard
	if cf.verbose {
		ginkgoOut = stdout
	}
	run, err := session.Execute(ctx, p, session.Options{
		OutDir: cf.out, LabelFilter: cf.labelFilter, Verbose: cf.verbose, Color: style.Color,
		Chromium: cf.chromium, Log: logw, Version: version(),
		Progress: con.progress, GinkgoOutput: ginkgoOut, BrowserOnly: cf.browserOnly, HTTPFirst: cf.httpFirst,
	})
	con.finish()
	if run == nil { // nothing was probed (or SIGINT/SIGTERM before any probe ran)
		if le := (*browser.LoginError)(nil); ctx.Err() == nil && errors.As(err, &le) {
			printOffer(stderr, le, outputRedactor(p))
		}
		return openErr(ctx, err, "interrupted")
	}
	if waivers != nil {
		for _, n := range baseline.Apply(run, waivers, time.Now()) {
			fmt.Fprintln(stderr, "baseline:", n.Text)
		}
	}
	if werr := reports.WriteAll(cf.out, run); werr != nil {
		return targetErr(werr)
	}
	con.summary(run, cf.out)
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
