package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
)

// cmdProfile runs `pkcecheck profile check FILE [--discover]`: it validates
// the profile (exit 2 with every problem, as file:line:col), prints a
// summary and, with --discover, the issuer's metadata (exit 3 when it cannot
// be read).
func cmdProfile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return usageErr("profile needs a subcommand: pkcecheck profile check FILE [--discover]")
	}
	fs := flag.NewFlagSet("pkcecheck profile check", flag.ContinueOnError)
	discover := fs.Bool("discover", false, "also fetch the issuer's metadata and show its endpoints and code_challenge_methods_supported")
	files, err := parseInterspersed(fs, args[1:], stderr)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageErr("profile check needs exactly one FILE")
	}
	p, err := profiles.Load(files[0])
	if err != nil {
		return &exitError{exitUsage, profileProblems(files[0], err)}
	}
	printProfile(stdout, p)
	if !*discover {
		return nil
	}
	return printDiscovery(ctx, stdout, p)
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &exitError{exitOK, errors.New("")}
			}
			return nil, &exitError{exitUsage, errors.New("")}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// profileProblems lists every problem of a profile, one per line.
func profileProblems(path string, err error) error {
	var parts []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts = j.Unwrap()
	} else {
		parts = []error{err}
	}
	lines := make([]string, len(parts))
	for i, e := range parts {
		lines[i] = "  " + e.Error()
	}
	return fmt.Errorf("%s: %d problem(s):\n%s", path, len(parts), strings.Join(lines, "\n"))
}

// printProfile writes the summary of a valid profile. It shows no secret:
// client secrets and fill values are never printed.
func printProfile(w io.Writer, p *profiles.Profile) {
	red := outputRedactor(p)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "profile\t%s (%s): valid\n", p.Name, p.Path)
	if p.Issuer != "" {
		fmt.Fprintf(tw, "issuer\t%s\n", p.Issuer)
	}
	for _, e := range []struct{ name, url string }{
		{"authorization", p.Endpoints.Authorization}, {"token", p.Endpoints.Token},
		{"userinfo", p.Endpoints.Userinfo}, {"introspection", p.Endpoints.Introspection},
	} {
		if e.url != "" {
			fmt.Fprintf(tw, "endpoint\t%s %s (override)\n", e.name, e.url)
		}
	}
	for _, c := range []struct {
		role string
		c    *profiles.Client
	}{{"public", p.Clients.Public}, {"confidential", p.Clients.Confidential}, {"other", p.Clients.Other}} {
		if c.c == nil {
			fmt.Fprintf(tw, "client\t%s: none (the checks that need it are skipped)\n", c.role)
			continue
		}
		scopes := "no scopes"
		if len(c.c.Scopes) > 0 {
			scopes = "scopes " + strings.Join(c.c.Scopes, " ")
		}
		secret := ""
		if c.c.Secret != "" {
			secret = ", secret set"
		}
		fmt.Fprintf(tw, "client\t%s: %s (%s%s), %s, %s\n", c.role, c.c.ID, c.c.AuthMethod, secret, c.c.RedirectURI, scopes)
	}
	fmt.Fprintf(tw, "login\t%d step(s), %d consent step(s)%s\n", len(p.Login.Steps), len(p.Login.Consent), accountSummary(p))
	tw.Flush()
	for i, s := range p.Login.Steps {
		fmt.Fprintf(w, "  %2d  %s  %s\n", i+1, red.String(stepSummary(s)), where(p.Path, s.Line))
	}
	for i, s := range p.Login.Consent {
		fmt.Fprintf(w, "  c%d  %s  %s\n", i+1, red.String(stepSummary(s)), where(p.Path, s.Line))
	}
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "policy\tpkce_required: %s, plain: %s, error_codes: %s\n", p.Policy.PKCERequired, p.Policy.Plain, p.Policy.ErrorCodes)
	fmt.Fprintf(tw, "limits\t%s; timeout %v\n", p.Limits.DescribeRate(), p.Limits.Timeout)
	tw.Flush()
}

// accountSummary says how pages no step fits are handled: detected with
// the profile's test account (never its values), or not at all.
func accountSummary(p *profiles.Profile) string {
	c := p.Login.Credentials
	if c == nil {
		return ""
	}
	totp := ""
	if c.TOTPSecret != "" {
		totp = " and TOTP secret"
	}
	return fmt.Sprintf("; user name and password%s set (%s): pages no step fits are detected", totp, where(p.Path, c.Line))
}

// stepSummary describes a step without its value or secret.
func stepSummary(s profiles.Step) string {
	d := fmt.Sprintf("%s %q", s.Kind(), s.Selector())
	if s.Frame != "" {
		d += fmt.Sprintf(" in frame %q", s.Frame)
	}
	switch s.Kind() {
	case profiles.KindSelect:
		d += fmt.Sprintf(" = %q", s.Value)
	case profiles.KindTOTP:
		digits := s.Digits
		if digits == 0 {
			digits = profiles.DefaultTOTPDigits
		}
		secret := "secret set"
		if s.Secret == "" {
			secret = "no secret"
		}
		d += fmt.Sprintf(" (%d digits, %s)", digits, secret)
	}
	if s.IsOptional() {
		d += fmt.Sprintf(" [optional, waits up to %v]", s.GraceTimeout())
	}
	return d
}

// where is "path:line" for a step.
func where(path string, line int) string {
	if line == 0 {
		return path
	}
	return fmt.Sprintf("%s:%d", path, line)
}

// printDiscovery fetches the issuer's metadata and prints what pkcecheck
// will use.
func printDiscovery(ctx context.Context, w io.Writer, p *profiles.Profile) error {
	if p.Issuer == "" {
		fmt.Fprintln(w, "discovery: the profile has no issuer; its endpoints are used as given")
		return nil
	}
	hc, err := httpclient.ForProfile(p) // the profile's TLS, scope and limits
	if err != nil {
		return &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
	}
	m, err := discovery.Fetch(ctx, hc.HTTP(), p.Issuer)
	if err != nil {
		return targetErr(fmt.Errorf("discover %s: %s", p.Issuer, outputRedactor(p).String(err.Error())))
	}
	eps, err := discovery.Resolve(p, m)
	if err != nil {
		return targetErr(err)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "metadata\t%s\n", m.Source)
	for _, e := range []struct{ name, url string }{
		{"authorization", eps.Authorization}, {"token", eps.Token}, {"userinfo", eps.Userinfo},
		{"introspection", eps.Introspection}, {"revocation", m.RevocationEndpoint},
	} {
		if e.url != "" {
			fmt.Fprintf(tw, "endpoint\t%s %s\n", e.name, e.url)
		}
	}
	methods := "(not published: pkcecheck warns under rfc8414.methods-advertised)"
	if m.HasCodeChallengeMethods {
		methods = "[" + strings.Join(m.CodeChallengeMethodsSupported, ", ") + "]"
	}
	fmt.Fprintf(tw, "code_challenge_methods_supported\t%s\n", methods)
	if len(m.TokenEndpointAuthMethodsSupported) > 0 {
		fmt.Fprintf(tw, "token_endpoint_auth_methods_supported\t[%s]\n", strings.Join(m.TokenEndpointAuthMethodsSupported, ", "))
	}
	fmt.Fprintf(tw, "authorization_response_iss_parameter_supported\t%v\n", m.AuthorizationResponseIssParameterSupported)
	return tw.Flush()
}
