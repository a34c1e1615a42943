package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// cmdLogin tries a profile's login: discovery, then one valid S256
// authorization request for the public client through a real browser,
// printing each step as it runs. It never prints the code.
//
// Exit status: 0 logged in and a code came back; 2 usage or profile error;
// 3 discovery, the browser or the login failed (the LoginError says where,
// with the screenshot and page saved in --out).
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
	began := time.Now()

	eps, err := discoverEndpoints(ctx, p, red, stdout)
	if err != nil {
		return targetErr(err)
	}

	logf := func(format string, args ...any) {
		fmt.Fprintln(stdout, "  "+red.String(fmt.Sprintf(format, args...)))
	}
	fmt.Fprintln(stdout, "starting Chromium")
	b, err := browser.Start(ctx, browser.Options{
		ExecPath: *chromium, Login: p.Login.Steps, Consent: p.Login.Consent, ProfilePath: p.Path,
		ArtifactDir: *out, StepTimeout: p.Limits.Timeout, Logf: logf,
		CACerts: p.TLS.CAPEM, IgnoreCertErrors: p.TLS.InsecureSkipVerify,
	})
	if err != nil {
		return targetErr(fmt.Errorf("start Chromium: %w", err))
	}
	defer b.Close()
	// On SIGINT the context ends: close the browser at once, mid-step.
	defer context.AfterFunc(ctx, func() { b.Close() })()

	c := p.Clients.Public
	pair, err := pkce.NewPair(43)
	if err != nil {
		return targetErr(err)
	}
	state := randomSecret()
	req := authz.NewRequest(eps.Authorization, c.ID, c.RedirectURI, c.Scopes, state)
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	fmt.Fprintf(stdout, "logging in: a valid S256 request for client %q at %s\n", c.ID, eps.Authorization)
	resp, err := b.Authorize(ctx, req.URL(), c.RedirectURI)
	if err != nil && ctx.Err() != nil {
		return &exitError{exitInterrupted, fmt.Errorf("interrupted: %w", ctx.Err())}
	}
	if err != nil {
		var le *browser.LoginError
		if errors.As(err, &le) {
			printStuck(stdout, le, red)
		}
		return targetErr(fmt.Errorf("log in: %s", red.String(err.Error())))
	}
	red.Add(resp.Code)
	switch {
	case resp.Code != "" && resp.State != state:
		return targetErr(errors.New("a code came back, but with the wrong state (the server must return the state it was sent)"))
	case resp.Code != "":
		fmt.Fprintf(stdout, "logged in; code received (%d login step(s), %d ms)\n", len(p.Login.Steps), time.Since(began).Milliseconds())
		return nil
	case resp.Error != "":
		return targetErr(fmt.Errorf("the server refused a valid PKCE authorization request for client %q: error=%s %s (check the client's registration and redirect_uri)",
			c.ID, resp.Error, red.String(resp.ErrorDescription)))
	case resp.ErrorPage:
		return targetErr(fmt.Errorf("the server showed an error page (HTTP %d) at %s: %s",
			resp.Status, red.URL(resp.PageURL), red.String(firstLine(resp.Body))))
	default:
		return targetErr(errors.New("the server redirected without a code or an error"))
	}
}

// discoverEndpoints fetches the issuer's metadata (when the profile has an
// issuer) and combines it with the profile's overrides.
func discoverEndpoints(ctx context.Context, p *profiles.Profile, red *redact.Redactor, stdout io.Writer) (discovery.Endpoints, error) {
	hc, err := httpclient.ForProfile(p) // the profile's TLS, scope and limits
	if err != nil {
		return discovery.Endpoints{}, &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
	}
	var m *discovery.Metadata
	if p.Issuer != "" {
		fmt.Fprintf(stdout, "discovering %s\n", p.Issuer)
		var err error
		m, err = discovery.Fetch(ctx, hc.HTTP(), p.Issuer)
		switch {
		case err == nil:
		case p.Endpoints.Authorization != "" && p.Endpoints.Token != "":
			fmt.Fprintf(stdout, "discovery failed, using the profile's endpoints: %s\n", red.String(err.Error()))
			m = nil
		default:
			return discovery.Endpoints{}, fmt.Errorf("%s", red.String(err.Error()))
		}
	}
	eps, err := discovery.Resolve(p, m)
	if err != nil {
		return discovery.Endpoints{}, err
	}
	return eps, nil
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
}

// stepKindOf is the kind of the step a LoginError is about.
func stepKindOf(le *browser.LoginError) string {
	if le.Kind == browser.KindConsent && le.Action != "" {
		return le.Action
	}
	return le.Kind
}

// outputRedactor masks the profile's secrets in what the command prints.
// Values that only identify the target (issuer, endpoints, client IDs,
// redirect URIs) stay readable even when they came from ${VAR}.
func outputRedactor(p *profiles.Profile) *redact.Redactor {
	public := map[string]bool{p.Issuer: true, p.Endpoints.Authorization: true, p.Endpoints.Token: true,
		p.Endpoints.Userinfo: true, p.Endpoints.Introspection: true}
	for _, c := range []*profiles.Client{p.Clients.Public, p.Clients.Confidential, p.Clients.Other} {
		if c != nil {
			public[c.ID], public[c.RedirectURI] = true, true
		}
	}
	red := redact.New()
	for _, s := range p.Secrets() {
		if !public[s] {
			red.Add(s)
		}
	}
	for _, c := range []*profiles.Client{p.Clients.Public, p.Clients.Confidential, p.Clients.Other} {
		if c != nil && c.Secret != "" {
			red.Add(c.Secret) // a secret even if it equals an ID
		}
	}
	return red
}

// firstLine is the first non-empty line of s.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
