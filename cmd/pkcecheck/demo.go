package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// cmdDemo runs the suites against the embedded reference provider, started
// on loopback with the flaws asked for.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck demo", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	flaws := fs.String("flaws", "", "comma-separated flaws to switch on in the reference provider ('list' shows them)")
	consent := fs.Bool("consent", true, "the reference provider shows a consent page")
	plainSupported := fs.Bool("plain-supported", false, "the reference provider supports (and advertises) plain")
	policyPlain := fs.String("policy-plain", profiles.PlainForbidden, "the profile's policy for plain: forbidden or allowed")
	policyProfile := fs.String("policy-profile", profiles.ProfileBase, "the profile's policy.profile: base or "+profiles.ProfileOAuth21Draft16)
	burn := fs.Bool("burn-on-failure", false, "a failed token request consumes the code (as Hydra does)")
	requirePAR := fs.Bool("require-par", false, "the reference provider requires pushed authorization requests (RFC 9126)")
	afterLogin := fs.Bool("check-after-login", false, "PKCE errors at /authorize come only after login and consent (as Hydra does)")
	errorCodes := fs.String("policy-error-codes", profiles.ErrorCodesStrict, "the profile's policy.error_codes: strict or lenient")
	lifetime := fs.Duration("code-lifetime", 0, "the reference provider's code lifetime (default 60s); the demo profile's max_code_age is one second more")
	keep := fs.Bool("serve", false, "keep the reference provider running after the checks (until Ctrl-C), with public demo credentials and a profile file in --out, to replay the reproducers")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *flaws == "list" {
		return listFlaws(stdout)
	}
	if *policyPlain != profiles.PlainForbidden && *policyPlain != profiles.PlainAllowed {
		return usageErr("--policy-plain %q: want forbidden or allowed", *policyPlain)
	}
	if err := checkErrorCodes(*errorCodes); err != nil {
		return err
	}
	switch *policyProfile {
	case profiles.ProfileBase, "":
		*policyProfile = ""
	case profiles.ProfileOAuth21Draft16:
		if *policyPlain == profiles.PlainAllowed {
			return usageErr("--policy-plain allowed contradicts --policy-profile %s, which prohibits plain", profiles.ProfileOAuth21Draft16)
		}
	default:
		return usageErr("--policy-profile %q: want %s or %s", *policyProfile, profiles.ProfileBase, profiles.ProfileOAuth21Draft16)
	}
	cfg := refidp.Config{
		Flaws: flawNames(*flaws), Consent: *consent,
		PlainSupported: *plainSupported, BurnOnFailure: *burn, CheckAfterLogin: *afterLogin, RequirePAR: *requirePAR, CodeLifetime: *lifetime,
	}
	if *keep {
		cfg.Password, cfg.ConfidentialSecret = servePassword, serveSecret
	}
	srv, err := startDemo(ctx, cfg, stderr, cf.quiet)
	if err != nil {
		return err
	}
	defer srv.Close()
	p := srv.Profile()
	p.Policy.Plain = *policyPlain
	p.Policy.Profile = *policyProfile
	p.Policy.ErrorCodes = *errorCodes
	if !*keep {
		return execute(ctx, p, cf, stdout, stderr)
	}
	path, err := writeServeProfile(cf.out, srv, p)
	if err != nil {
		return targetErr(err)
	}
	p.Path = path // the reproducers' pkcecheck code lines name it
	return serve(ctx, srv, path, execute(ctx, p, cf, stdout, stderr), stderr)
}

// checkErrorCodes checks a --policy-error-codes value.
func checkErrorCodes(v string) error {
	if v != profiles.ErrorCodesStrict && v != profiles.ErrorCodesLenient {
		return usageErr("--policy-error-codes %q: want %s or %s", v, profiles.ErrorCodesStrict, profiles.ErrorCodesLenient)
	}
	return nil
}

func listFlaws(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAW\tTRIPS\tDESCRIPTION")
	for _, f := range refidp.Flaws() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, joinIDs(f.Trips, ","), f.Description)
	}
	return tw.Flush()
}

// flawNames splits a --flaws value.
func flawNames(list string) []string {
	var names []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f != "" {
			names = append(names, f)
		}
	}
	return names
}

// startDemo starts the reference provider for demo and fuzz --demo
// (refidp.StartDemo: loopback, random credentials) and says where it runs,
// unless quiet.
func startDemo(ctx context.Context, cfg refidp.Config, stderr io.Writer, quiet bool) (*refidp.Server, error) {
	srv, err := refidp.StartDemo(ctx, cfg)
	if err != nil {
		return nil, usageErr("start the reference provider: %v (pkcecheck demo --flaws list shows the flaws)", err)
	}
	if !quiet {
		fmt.Fprintf(stderr, "reference provider at %s", srv.Issuer())
		if len(cfg.Flaws) > 0 {
			fmt.Fprintf(stderr, " with flaws: %s", strings.Join(cfg.Flaws, ", "))
		}
		fmt.Fprintln(stderr)
	}
	return srv, nil
}

// joinIDs joins requirement IDs with sep.
func joinIDs(ids []requirements.ID, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, sep)
}
