package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/session"
)

// cmdLogin tries a profile's login the way run does before its first probe
// (session.Open: discovery, the scope check, one valid S256 authorization
// request for the public client through a real browser), printing each
// step as it runs. It never prints the code.
//
// Exit status: 0 logged in and a code came back; 2 usage or profile error;
// 3 discovery, the scope, the browser or the login failed (where the login
// stopped is printed, with the screenshot and page saved in --out).
func cmdLogin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck login", flag.ContinueOnError)
	profilePath := fs.String("profile", "", "the target's YAML profile (required)")
	out := fs.String("out", "out", "directory for the screenshot and page HTML saved when the login fails")
	chromium := fs.String("chromium", "", "Chromium binary (default: $PKCECHECK_CHROMIUM, then chromium on PATH)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *profilePath == "" {
		return usageErr("login needs --profile FILE")
	}
	p, err := profiles.Load(*profilePath)
	if err != nil {
		return &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
	}
	red := outputRedactor(p)
	s, err := session.Open(ctx, p, session.Options{
		OutDir: *out, Chromium: *chromium, Log: stdout, Version: version(),
		Redactor: red, BrowserOnly: true, // one code, no HTTP fast path
		Steps: func(line string) { fmt.Fprintln(stdout, "  "+line) },
	})
	if err != nil {
		var le *browser.LoginError
		if ctx.Err() == nil && errors.As(err, &le) {
			printStuck(stdout, le, red)
		}
		return openErr(ctx, err, "interrupted")
	}
	defer s.Close()
	fmt.Fprintf(stdout, "logged in; code received (%d login and consent step(s), %d ms)\n", len(s.Browser.UsedSteps()), s.Elapsed().Milliseconds())
	if l := s.LoginSteps(); l != nil {
		fmt.Fprintf(stdout, "login steps: %s\n", l.Mode)
		for _, st := range l.Steps {
			fmt.Fprintf(stdout, "  %-12s %s  (%s)\n", st.Page, st.Step, st.How)
		}
	}
	return nil
}

// openErr maps an error of session.Open to an exit status: interrupted
// (with msg) when ctx ended, a profile error, or the target could not be
// exercised.
func openErr(ctx context.Context, err error, msg string) error {
	var pe *session.ProfileError
	switch {
	case ctx.Err() != nil:
		return &exitError{exitInterrupted, errors.New(msg)}
	case errors.As(err, &pe):
		return &exitError{exitUsage, fmt.Errorf("profile: %w", pe)}
	}
	return targetErr(err)
}

// printStuck says where the login stopped.
func printStuck(w io.Writer, le *browser.LoginError, red *redact.Redactor) {
	fmt.Fprintln(w, "login stuck:")
	if le.Step > 0 {
		what := "login step"
		if le.Kind == browser.KindConsent {
			what = "consent step"
		}
		fmt.Fprintf(w, "  %-10s %s %d (%s)\n", "step", what, le.Step, stepKindOf(le))
	}
	if le.Selector != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "selector", red.String(le.Selector))
	}
	if le.Frame != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "frame", red.String(le.Frame))
	}
	if le.Where != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "profile", le.Where)
	}
	if le.URL != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "page", red.URL(le.URL))
	}
	if le.Err != nil {
		fmt.Fprintf(w, "  %-10s %s\n", "problem", red.String(le.Err.Error()))
	}
	if le.Screenshot != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "screenshot", le.Screenshot)
	}
	if le.HTML != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "html", le.HTML)
	}
	printOffer(w, le, red)
}

// printOffer lists what the page a login stopped on offers (its fields and
// buttons with selectors to paste), when the login read it.
func printOffer(w io.Writer, le *browser.LoginError, red *redact.Redactor) {
	if le.Page == nil {
		return
	}
	fmt.Fprintln(w, "what the page offers:")
	var b strings.Builder
	le.Page.Listing(&b)
	for _, line := range strings.Split(strings.TrimRight(red.String(b.String()), "\n"), "\n") {
		fmt.Fprintln(w, "  "+line)
	}
}

// stepKindOf is the kind of the step a LoginError is about.
func stepKindOf(le *browser.LoginError) string {
	if le.Kind == browser.KindConsent && le.Action != "" {
		return le.Action
	}
	return le.Kind
}
