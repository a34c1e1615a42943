package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/fuzz"
	"github.com/pkcecheck/pkcecheck/internal/baseline"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
	"github.com/pkcecheck/pkcecheck/session"
)

// maxFuzzDuration bounds --duration.
const maxFuzzDuration = 24 * time.Hour

// fuzzFlags are the flags of `pkcecheck fuzz`.
type fuzzFlags struct {
	profile   string
	out       string
	budget    int
	duration  time.Duration
	shrink    int
	seed      uint64
	seedSet   bool
	demo      bool
	flaws     string
	chromium  string
	plainDemo bool
	failOn    string
	// errorCodes is the demo profile's policy.error_codes (--demo).
	errorCodes string
}

// cmdFuzz runs a fuzz campaign against the target of a profile, or against
// the embedded reference provider (--demo, started like `pkcecheck demo`),
// and writes findings.json. Findings take the levels run gives their
// requirements: exit status 1 with a MUST finding (or any finding under
// --fail-on should), 0 without (SHOULD findings are warnings), 2 for usage
// or profile errors, 3 when the target cannot be exercised, 130 on SIGINT
// (after writing what was found).
func cmdFuzz(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck fuzz", flag.ContinueOnError)
	var ff fuzzFlags
	fs.StringVar(&ff.profile, "profile", "", "the target's YAML profile (or --demo)")
	fs.StringVar(&ff.out, "out", "out", "directory for findings.json and browser failure artifacts")
	fs.IntVar(&ff.budget, "budget", fuzz.DefaultBudget, "number of token-endpoint cases (each mints its own code) for each client and authentication method of the profile")
	fs.DurationVar(&ff.duration, "duration", 0, "stop after this long (e.g. 10m; 1s to 24h), or when the budget is spent, whichever comes first; 0: no time limit")
	fs.IntVar(&ff.shrink, "shrink", fuzz.DefaultMaxShrink, "most extra cases spent shrinking one finding")
	fs.Func("seed", "seed of the case generator (default: random, printed)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("want an unsigned integer")
		}
		ff.seed, ff.seedSet = v, true
		return nil
	})
	fs.BoolVar(&ff.demo, "demo", false, "fuzz the embedded reference provider, as pkcecheck demo does")
	fs.StringVar(&ff.flaws, "flaws", "", "with --demo: comma-separated flaws of the reference provider (pkcecheck demo --flaws list)")
	fs.BoolVar(&ff.plainDemo, "plain-supported", false, "with --demo: the reference provider supports plain, and the policy allows it")
	fs.StringVar(&ff.errorCodes, "policy-error-codes", "", "with --demo: the profile's policy.error_codes, strict (default) or lenient")
	fs.StringVar(&ff.chromium, "chromium", "", "Chromium binary (default: $PKCECHECK_CHROMIUM, then chromium on PATH)")
	fs.StringVar(&ff.failOn, "fail-on", "must", "which findings fail the campaign: must (MUST findings) or should (SHOULD findings too)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	failOn, err := baseline.ParseFailOn(ff.failOn)
	if err != nil {
		return usageErr("%v", err)
	}
	switch {
	case ff.demo == (ff.profile != ""):
		return usageErr("fuzz needs either --profile FILE or --demo")
	case !ff.demo && (ff.flaws != "" || ff.plainDemo || ff.errorCodes != ""):
		return usageErr("--flaws, --plain-supported and --policy-error-codes need --demo")
	case ff.budget < 1:
		return usageErr("--budget %d: want at least 1", ff.budget)
	case ff.duration != 0 && (ff.duration < time.Second || ff.duration > maxFuzzDuration):
		return usageErr("--duration %v: want 1s to %v", ff.duration, maxFuzzDuration)
	case ff.shrink < 0:
		return usageErr("--shrink %d: want 0 or more", ff.shrink)
	}
	if !ff.seedSet {
		ff.seed = rand.Uint64N(1 << 53) // random per process; printed to replay the campaign
	}

	var p *profiles.Profile
	if ff.demo {
		srv, err := startDemo(ctx, refidp.Config{Flaws: flawNames(ff.flaws), Consent: true, PlainSupported: ff.plainDemo}, stderr, false)
		if err != nil {
			return err
		}
		defer srv.Close()
		p = srv.Profile()
		if ff.plainDemo {
			p.Policy.Plain = profiles.PlainAllowed
		}
		if ff.errorCodes != "" {
			if err := checkErrorCodes(ff.errorCodes); err != nil {
				return err
			}
			p.Policy.ErrorCodes = ff.errorCodes
		}
	} else {
		var err error
		if p, err = profiles.Load(ff.profile); err != nil {
			return &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
		}
	}
	return fuzzTarget(ctx, p, ff, failOn, stdout, stderr)
}

// fuzzTarget logs in to p's target, runs the campaign, writes findings.json
// and the summary, and maps the outcome to an exit status.
func fuzzTarget(ctx context.Context, p *profiles.Profile, ff fuzzFlags, failOn baseline.FailOn, stdout, stderr io.Writer) error {
	s, err := session.Open(ctx, p, session.Options{OutDir: ff.out, Chromium: ff.chromium, Log: stderr, Version: version()})
	if err != nil {
		return openErr(ctx, err, "interrupted before the campaign began")
	}
	defer s.Close()

	// Every client of the profile, with each of its authentication
	// methods (the per-client rule of docs/design.md).
	var clients []fuzz.ClientTarget
	var names []string
	for _, cr := range p.EachMethod() {
		live := &fuzz.Live{
			Endpoint:   fuzz.Endpoint{Authorization: s.Endpoints.Authorization, Token: s.Endpoints.Token, Client: *cr.Client, Extra: p.AuthorizeParams},
			Authorizer: s.Authorizer, HTTP: s.HTTP(), Redactor: s.Redactor, Timeout: p.Limits.Timeout,
		}
		ct := fuzz.ClientTarget{Role: cr.Role, Target: live, Endpoint: live.Endpoint}
		clients = append(clients, ct)
		names = append(names, ct.Name())
	}
	policy := fuzz.Policy{PlainAllowed: p.Policy.Plain == profiles.PlainAllowed, LenientErrors: p.Policy.ErrorCodes == profiles.ErrorCodesLenient}
	limit := ""
	cfg := fuzz.Config{Seed: ff.seed, Budget: ff.budget, MaxShrink: ff.shrink, Policy: policy, Progress: stderr}
	if ff.duration > 0 {
		cfg.Deadline = time.Now().Add(ff.duration)
		limit = fmt.Sprintf(" or %v, whichever comes first", ff.duration)
	}
	fmt.Fprintf(stderr, "fuzzing %d client(s): %s; seed %d, budget %d token cases each (each with its own code)%s\n",
		len(clients), strings.Join(names, "; "), ff.seed, ff.budget, limit)
	res, runErr := fuzz.RunClients(ctx, clients, cfg)
	interrupted := ctx.Err() != nil

	file := fuzz.NewFile(res, clients[0].Endpoint, fuzz.Meta{
		Tool:   results.Tool{Name: "pkcecheck", Version: version()},
		Target: results.Target{Name: p.Name, Issuer: s.Issuer()},
		Policy: results.Policy{PKCERequired: p.Policy.PKCERequired, Plain: p.Policy.Plain, ErrorCodes: p.Policy.ErrorCodes, Profile: p.Policy.Profile},
		Logins: s.Logins(), HTTPRequests: s.Requests(), Interrupted: interrupted, Clients: names,
	})
	file.Stats.CodesMinted += s.CodesMinted // the warm-up login's code
	path, werr := file.Write(ff.out)
	if werr != nil {
		return targetErr(werr)
	}
	fuzz.WriteSummary(stdout, file, path)

	n := len(file.Findings)
	failing := failingFindings(file, failOn)
	switch {
	case interrupted:
		return &exitError{exitInterrupted, fmt.Errorf("interrupted after %d token cases; %d finding(s) so far in %s", res.Stats.TokenCases, n, path)}
	case runErr != nil && len(failing) > 0:
		return &exitError{exitFailed, fmt.Errorf("the campaign stopped early (%s); %d finding(s) in %s", s.Redactor.String(runErr.Error()), n, path)}
	case runErr != nil:
		return targetErr(fmt.Errorf("the campaign stopped: %s", s.Redactor.String(runErr.Error())))
	case len(failing) > 0:
		return &exitError{exitFailed, fmt.Errorf("%d finding(s) fail the campaign: %s", len(failing), strings.Join(failing, ", "))}
	case n > 0:
		fmt.Fprintf(stderr, "%d SHOULD finding(s), reported as warnings (exit 0; --fail-on should makes them fail): %s\n", n, groups(file))
	}
	return nil
}

// failingFindings names the findings that fail the campaign under failOn:
// MUST findings, and SHOULD findings too under --fail-on should — the rule
// of pkcecheck run.
func failingFindings(f *fuzz.File, failOn baseline.FailOn) []string {
	var out []string
	for _, fd := range f.Findings {
		if fd.Level == requirements.MUST || (failOn == baseline.FailOnShould && fd.Level == requirements.SHOULD) {
			out = append(out, fd.Group+" ("+string(fd.Requirement)+", "+string(fd.Level)+")")
		}
	}
	return out
}

func groups(f *fuzz.File) string {
	g := make([]string, len(f.Findings))
	for i, fd := range f.Findings {
		g[i] = fd.Group
	}
	return strings.Join(g, ", ")
}
