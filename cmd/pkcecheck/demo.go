package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// demoRedirectURI is registered at the reference provider; nothing listens
// there: the browser catches the redirect.
const demoRedirectURI = "http://127.0.0.1:8765/callback"

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
	burn := fs.Bool("burn-on-failure", false, "a failed token request consumes the code (as Hydra does)")
	afterLogin := fs.Bool("check-after-login", false, "PKCE errors at /authorize come only after login and consent (as Hydra does)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *flaws == "list" {
		return listFlaws(stdout)
	}
	var names []string
	for _, f := range strings.Split(*flaws, ",") {
		if f = strings.TrimSpace(f); f != "" {
			names = append(names, f)
		}
	}
	if *policyPlain != profiles.PlainForbidden && *policyPlain != profiles.PlainAllowed {
		return usageErr("--policy-plain %q: want forbidden or allowed", *policyPlain)
	}
	password, secret := randomSecret(), randomSecret()
	srv, err := refidp.Start(ctx, refidp.Config{
		Username: "demo", Password: password, RedirectURI: demoRedirectURI,
		ConfidentialSecret: secret, Flaws: names, Consent: *consent,
		PlainSupported: *plainSupported, BurnOnFailure: *burn, CheckAfterLogin: *afterLogin,
	})
	if err != nil {
		return usageErr("start the reference provider: %v (pkcecheck demo --flaws list shows the flaws)", err)
	}
	defer srv.Close()
	if !cf.quiet {
		fmt.Fprintf(stderr, "reference provider at %s", srv.Issuer())
		if len(names) > 0 {
			fmt.Fprintf(stderr, " with flaws: %s", strings.Join(names, ", "))
		}
		fmt.Fprintln(stderr)
	}
	p := srv.Profile()
	p.Policy.Plain = *policyPlain
	return execute(ctx, p, cf, stdout, stderr)
}

func listFlaws(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAW\tTRIPS\tDESCRIPTION")
	for _, f := range refidp.Flaws() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, joinIDs(f.Trips, ","), f.Description)
	}
	return tw.Flush()
}

func randomSecret() string {
	b := make([]byte, 18)
	rand.Read(b) // never fails (Go ≥ 1.24 crashes instead of returning an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

// joinIDs joins requirement IDs with sep.
func joinIDs(ids []requirements.ID, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, sep)
}
