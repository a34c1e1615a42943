package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/session"
)

// initFlags are what a user knows about a server, as `pkcecheck init`
// takes them.
type initFlags struct {
	issuer, authEndpoint, tokenEndpoint string
	public, confidential, secretVars    listFlag
	redirectURI, name, scopes           string
	userVar, passVar, totpVar           string
	scopeHosts                          listFlag
	out, artifacts, chromium            string
	force                               bool
	timeout                             time.Duration
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// cmdInit writes a working profile for a server from what a user knows
// (issuer or endpoints, clients, redirect URI, the names of the variables
// holding the test account and the client secrets): it logs in once in the
// browser with detection, reads the metadata, and writes the steps it took
// as explicit selectors, each commented with how it was found. Secrets
// stay ${VAR} references.
//
// Exit status: 0 the profile was written; 2 usage (a flag, an unset
// variable, an existing --out without --force); 3 discovery, the browser or
// the login failed (where it stopped and what the page offers is printed).
func cmdInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f initFlags
	fs := flag.NewFlagSet("pkcecheck init", flag.ContinueOnError)
	fs.StringVar(&f.issuer, "issuer", "", "the issuer URL (its metadata gives the endpoints and what the profile says of the server)")
	fs.StringVar(&f.authEndpoint, "authorization-endpoint", "", "the authorization endpoint (with --token-endpoint, instead of or besides --issuer)")
	fs.StringVar(&f.tokenEndpoint, "token-endpoint", "", "the token endpoint")
	fs.Var(&f.public, "client-id", "a public client's ID (repeatable: the first is clients.public, a second clients.other)")
	fs.Var(&f.public, "public-client", "the same as --client-id")
	fs.Var(&f.confidential, "confidential-client", "a confidential client's ID (repeatable: the first is clients.confidential, the others clients.extra)")
	fs.Var(&f.secretVars, "client-secret-var", "the NAME of the environment variable holding a confidential client's secret (one for all, or one per --confidential-client, in order)")
	fs.StringVar(&f.redirectURI, "redirect-uri", "", "the redirect URI registered for the clients (required)")
	fs.StringVar(&f.scopes, "scopes", "", `the scopes requested, space-separated (default: "openid" when the metadata lists it)`)
	fs.StringVar(&f.userVar, "username-var", "", "the NAME of the environment variable holding the test account's user name (required)")
	fs.StringVar(&f.passVar, "password-var", "", "the NAME of the environment variable holding its password (required)")
	fs.StringVar(&f.totpVar, "totp-secret-var", "", "the NAME of the environment variable holding its TOTP secret (base32), if it has one")
	fs.Var(&f.scopeHosts, "scope-host", "another host of the provider credentials may be typed on (repeatable; scope.hosts)")
	fs.StringVar(&f.name, "name", "", "the profile's name (default: the issuer's host)")
	fs.StringVar(&f.out, "out", "", "the profile file to write (required)")
	fs.BoolVar(&f.force, "force", false, "overwrite --out if it exists")
	fs.DurationVar(&f.timeout, "timeout", profiles.DefaultTimeout, "how long each login page and request may take (limits.timeout)")
	fs.StringVar(&f.artifacts, "artifacts", "out", "directory for the screenshot and page HTML saved when the login fails")
	fs.StringVar(&f.chromium, "chromium", "", "Chromium binary (default: $PKCECHECK_CHROMIUM, then chromium on PATH)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	meta, err := initMetadata(ctx, &f, stdout)
	if err != nil {
		return err
	}
	// The profile init logs in with: the account alone, detection finds the way.
	draft := renderProfile(&f, meta, nil, nil)
	p, err := profiles.Parse("init's login (the test account of $"+f.userVar+" and $"+f.passVar+")", []byte(draft), os.LookupEnv)
	if err != nil {
		return &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
	}
	rec := &recorder{creds: p.Login.Credentials, vars: &f}
	s, err := loginOnce(ctx, p, stdout, session.Options{OutDir: f.artifacts, Chromium: f.chromium, RecordDetected: rec.add})
	if err != nil {
		return err
	}
	if s.Metadata != nil {
		meta = s.Metadata
	}
	rec.stop() // later logins (servers without a session) are not the first
	modes := tryModes(ctx, s, meta, stdout)
	s.Close()
	if ctx.Err() != nil {
		return &exitError{exitInterrupted, errors.New("interrupted")}
	}
	if rec.err != nil {
		return targetErr(rec.err)
	}
	text := renderProfile(&f, meta, rec.list(), modes)
	if _, err := profiles.Parse(f.out, []byte(text), os.LookupEnv); err != nil {
		return fmt.Errorf("the profile init made does not load (please report this): %w", err)
	}
	if err := writeProfileFile(f.out, text, f.force); err != nil {
		return &exitError{exitUsage, err}
	}
	if err := awaitFreshTOTP(ctx, rec.list(), stdout); err != nil {
		return err
	}
	login, consent := rec.counts()
	fmt.Fprintf(stdout, "wrote %s: %d login step(s), %d consent step(s), each with how it was found\n", f.out, login, consent)
	fmt.Fprintf(stdout, "next: pkcecheck profile check %s && pkcecheck run --profile %s\n", f.out, f.out)
	return nil
}

// initMetadata reads the issuer's metadata (the scopes the login asks for
// depend on it). Without --issuer there is none; with the endpoints given,
// a failure only leaves it out.
func initMetadata(ctx context.Context, f *initFlags, stdout io.Writer) (*discovery.Metadata, error) {
	if f.issuer == "" {
		return nil, nil
	}
	fmt.Fprintf(stdout, "reading the metadata of %s\n", f.issuer)
	ctx, cancel := context.WithTimeout(ctx, profiles.DefaultTimeout)
	defer cancel()
	meta, err := discovery.Fetch(ctx, &http.Client{Timeout: profiles.DefaultTimeout}, f.issuer)
	switch {
	case err == nil:
		return meta, nil
	case f.authEndpoint != "" && f.tokenEndpoint != "":
		fmt.Fprintf(stdout, "no metadata (%v): the profile takes the endpoints given\n", err)
		return nil, nil
	}
	return nil, targetErr(err)
}

// awaitFreshTOTP waits, when the login typed a one-time code, for the
// next time step to begin: servers refuse a code used twice (Keycloak
// does), and a run started right after init would type the same code.
func awaitFreshTOTP(ctx context.Context, steps []recordedStep, stdout io.Writer) error {
	typed := false
	for _, s := range steps {
		typed = typed || s.step.Kind() == profiles.KindTOTP
	}
	if !typed {
		return nil
	}
	now := time.Now()
	wait := now.Truncate(profiles.TOTPPeriod).Add(profiles.TOTPPeriod + time.Second).Sub(now)
	fmt.Fprintf(stdout, "waiting %v for a new one-time code (the server may refuse the one just used, to the run that follows)\n", wait.Round(time.Second))
	select {
	case <-time.After(wait):
		return nil
	case <-ctx.Done():
		return &exitError{exitInterrupted, errors.New("interrupted")}
	}
}

// envName is the form of an environment variable's name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// check rejects what init cannot work from, before anything is started.
func (f *initFlags) check() error {
	switch {
	case f.issuer == "" && (f.authEndpoint == "" || f.tokenEndpoint == ""):
		return usageErr("init needs --issuer URL, or --authorization-endpoint URL and --token-endpoint URL")
	case len(f.public) == 0:
		return usageErr("init needs a public client: --client-id ID (clients.public)")
	case len(f.public) > 2:
		return usageErr("at most two public clients (--client-id): clients.public and clients.other; got %d", len(f.public))
	case f.redirectURI == "":
		return usageErr("init needs --redirect-uri URI (registered for the clients)")
	case f.userVar == "" || f.passVar == "":
		return usageErr("init needs --username-var NAME and --password-var NAME: the environment variables holding the test account")
	case f.out == "":
		return usageErr("init needs --out FILE (the profile to write)")
	case f.timeout < time.Second || f.timeout > 5*time.Minute:
		return usageErr("--timeout %v: want 1s to 5m", f.timeout)
	}
	for _, u := range []struct{ flag, v string }{{"issuer", f.issuer}, {"authorization-endpoint", f.authEndpoint},
		{"token-endpoint", f.tokenEndpoint}, {"redirect-uri", f.redirectURI}} {
		if u.v == "" {
			continue
		}
		if p, err := url.Parse(u.v); err != nil || p.Scheme == "" || p.Host == "" {
			return usageErr("--%s %q is not an absolute URL", u.flag, u.v)
		}
	}
	switch n := len(f.secretVars); {
	case len(f.confidential) > 0 && n == 0:
		return usageErr("--confidential-client needs --client-secret-var NAME (the environment variable holding its secret)")
	case len(f.confidential) == 0 && n > 0:
		return usageErr("--client-secret-var without --confidential-client")
	case n > 1 && n != len(f.confidential):
		return usageErr("%d --client-secret-var for %d --confidential-client: give one for all, or one each", n, len(f.confidential))
	}
	vars := []struct{ flag, name string }{{"username-var", f.userVar}, {"password-var", f.passVar}, {"totp-secret-var", f.totpVar}}
	for _, v := range f.secretVars {
		vars = append(vars, struct{ flag, name string }{"client-secret-var", v})
	}
	for _, v := range vars {
		if v.name == "" {
			continue
		}
		if !envName.MatchString(v.name) {
			return usageErr("--%s wants the NAME of an environment variable (such as KC_PASSWORD), not a value: %d characters that are not a variable name", v.flag, len(v.name))
		}
		if val, ok := os.LookupEnv(v.name); !ok || val == "" {
			return usageErr("--%s %s: the variable is not set (init logs in and checks the profile with it; the profile names it, never its value)", v.flag, v.name)
		}
	}
	if !f.force {
		if _, err := os.Lstat(f.out); err == nil {
			return usageErr("%s exists: init does not overwrite it without --force", f.out)
		}
	}
	return nil
}

// secretVar is the variable of the i-th confidential client's secret.
func (f *initFlags) secretVar(i int) string {
	if len(f.secretVars) == 1 {
		return f.secretVars[0]
	}
	return f.secretVars[i]
}

// writeProfileFile writes text to path, never over an existing file
// unless force.
func writeProfileFile(path, text string, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	fh, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: init does not overwrite it without --force", path)
	}
	if err != nil {
		return fmt.Errorf("write the profile: %w", err)
	}
	if _, err := fh.WriteString(text); err != nil {
		fh.Close()
		return fmt.Errorf("write the profile %s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("write the profile %s: %w", path, err)
	}
	return nil
}
