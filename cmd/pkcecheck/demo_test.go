package main

import (
	"sync"

	"github.com/pkcecheck/pkcecheck/internal/links"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// TestDemoClean: against the clean reference provider, through a real
// Chromium, every requirement passes with one login, whatever the provider's
// legitimate choices: plain offered or not (under a policy that allows it),
// codes burnt by a failed attempt, consent or none, PKCE errors reported
// before or after the login.
func TestDemoClean(t *testing.T) {
	variants := []struct {
		name string
		args []string
		// pass: requirements that must pass (not skip), with what their
		// summary must say (the clients judged without, and why).
		pass map[string]string
	}{
		{"defaults", nil, nil},
		{"plain supported and allowed", []string{"--plain-supported", "--policy-plain", "allowed"}, nil},
		{"plain allowed but not offered", []string{"--policy-plain", "allowed"}, nil},
		{"failed attempts burn the code", []string{"--burn-on-failure"}, nil},
		{"no consent page", []string{"--consent=false"}, nil},
		{"PKCE checked after login", []string{"--check-after-login"}, nil},
		{"OAuth 2.1 draft 16 policy", []string{"--policy-profile", "oauth2.1-draft16"}, nil},
		{"pushed authorization requests required", []string{"--require-par"}, nil},
		{"lenient error codes", []string{"--policy-error-codes", "lenient"}, nil},
		// Per-client choices (issue 21): the checks run for the clients the
		// server serves and skip the others, naming them.
		{"PAR for confidential clients only", []string{"--par-confidential-only"}, map[string]string{
			"rfc9126.par-pkce-validated":   "public client demo-public (none): the PAR endpoint cannot authenticate it (HTTP 401 invalid_client",
			"rfc9126.par-request-uri-once": "public client demo-public (none): the PAR endpoint cannot authenticate it",
		}},
		{"refresh tokens for confidential clients only", []string{"--refresh-confidential-only"}, map[string]string{
			"rfc6749.refresh-after-pkce":     "public client demo-public (none): the token response has no refresh_token",
			"rfc6749.replay-revokes-refresh": "public client demo-public (none): the token response has no refresh_token",
		}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			r := pkcecheck(t, nil, append([]string{"demo"}, v.args...)...)
			if r.code != exitOK {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			if r.run == nil || len(r.run.Results) == 0 {
				t.Fatal("no results.json results")
			}
			for _, res := range r.run.Results {
				if res.Status != results.Pass && res.Status != results.Skip {
					t.Errorf("%s: %s: %s", res.ID, res.Status, res.Summary)
				}
				if want, ok := v.pass[res.ID]; ok && (res.Status != results.Pass || !strings.Contains(res.Summary, want)) {
					t.Errorf("%s: %s (%s), want pass with a summary saying %q", res.ID, res.Status, res.Summary, want)
				}
			}
			if s := r.run.Stats; s.Logins != 1 || s.CodesMinted < len(r.run.Results) || s.HTTPRequests == 0 || s.DurationMS <= 0 {
				t.Errorf("stats %+v: want one login, a code per probe, counted requests and a duration", s)
			}
			for _, f := range []string{"junit.xml", "results.json", "report.md"} {
				if _, err := os.Stat(filepath.Join(r.out, f)); err != nil {
					t.Errorf("report missing: %v", err)
				}
			}
		})
	}
}

// TestDemoFlaws is the self-test table: each flaw of the reference provider
// makes exactly the requirements it trips fail (or warn, for SHOULD), and
// nothing else, under the default policy and under every policy profile it
// lists in PolicyTrips (compared with a clean run under the same policy);
// and every MUST and SHOULD requirement is caught this way for at least
// links.MinFlaws independent flaws.
func TestDemoFlaws(t *testing.T) {
	policies := map[string]bool{"": true}
	for _, flaw := range refidp.Flaws() {
		for p := range flawRuns(flaw) {
			policies[p] = true
		}
	}
	clean := map[string]map[string]results.Status{} // policy profile -> ID -> status
	for p := range policies {
		r := pkcecheck(t, nil, demoArgs(p)...)
		if r.run == nil {
			t.Fatalf("clean demo (policy profile %q) wrote no results (exit %d): %s", p, r.code, r.stderr)
		}
		clean[p] = statuses(r.run)
	}
	covered := map[string][]string{} // ID -> the flaws that tripped it
	var mu sync.Mutex
	for _, flaw := range refidp.Flaws() {
		for policy, all := range flawRuns(flaw) {
			var trips []requirements.ID
			for _, id := range all {
				if _, ok := clean[policy][string(id)]; ok {
					trips = append(trips, id)
				}
			}
			if len(trips) == 0 && len(all) > 0 {
				continue // its requirement has no spec yet
			}
			// A flaw that trips nothing under a policy (only under another)
			// is run there too: everything must stay clean.
			name := flaw.Name
			if policy != "" {
				name += "/" + policy
			}
			t.Run(name, func(t *testing.T) {
				checkFlaw(t, flaw.Name, policy, clean[policy], trips, func(id string) {
					mu.Lock()
					defer mu.Unlock()
					if !contains(covered[id], flaw.Name) {
						covered[id] = append(covered[id], flaw.Name)
					}
				})
			})
		}
	}
	checked := map[string]bool{}
	for _, byID := range clean {
		for id := range byID {
			checked[id] = true
		}
	}
	for id := range checked {
		// Informational results are measurements: they never fail.
		if req, _ := requirements.Lookup(requirements.ID(id)); len(covered[id]) < links.MinFlaws && req.Level != requirements.INFO {
			t.Errorf("%s is caught for %d flaw(s) of the reference provider %v, want at least %d: the check is not shown to catch each way a server can get it wrong", id, len(covered[id]), covered[id], links.MinFlaws)
		}
	}
}

// lenientPolicy marks a demo run judged under policy.error_codes lenient
// (a key of flawRuns, after the policy profile).
const lenientPolicy = "error-codes-lenient"

// flawRuns are the policies a flaw is run under, each with the IDs it
// trips there: the base profile and each of its PolicyTrips, all under the
// error_codes policy the flaw names (lenient adds lenientPolicy to the key).
func flawRuns(flaw refidp.Flaw) map[string][]requirements.ID {
	key := func(p string) string {
		if flaw.ErrorCodes() != profiles.ErrorCodesLenient {
			return p
		}
		if p == "" {
			return lenientPolicy
		}
		return p + "," + lenientPolicy
	}
	runs := map[string][]requirements.ID{key(""): flaw.Trips}
	for p, trips := range flaw.PolicyTrips {
		runs[key(p)] = trips
	}
	return runs
}

// demoArgs runs the demo under a policy profile ("" = base), and under
// lenient error codes where the key says so (see flawRuns).
func demoArgs(policy string, more ...string) []string {
	args := []string{"demo"}
	if p, ok := strings.CutSuffix(policy, lenientPolicy); ok {
		policy = strings.TrimSuffix(p, ",")
		args = append(args, "--policy-error-codes", profiles.ErrorCodesLenient)
	}
	if policy != "" {
		args = append(args, "--policy-profile", policy)
	}
	return append(args, more...)
}

// checkFlaw runs the demo with one flaw under a policy profile: the IDs in
// trips fail (or warn, for SHOULD and INFO), every other ID has its clean
// status.
func checkFlaw(t *testing.T, flaw, policy string, clean map[string]results.Status, trips []requirements.ID, caught func(id string)) {
	r := pkcecheck(t, nil, demoArgs(policy, "--flaws", flaw)...)
	if r.run == nil {
		t.Fatalf("no results.json (exit %d): %s", r.code, r.stderr)
	}
	got := statuses(r.run)
	wantExit := exitOK // SHOULD violations warn and do not fail the run
	for id, cleanStatus := range clean {
		want := cleanStatus
		if contains(trips, requirements.ID(id)) {
			want = results.Warn
			if req, _ := requirements.Lookup(requirements.ID(id)); req.Level == requirements.MUST {
				want, wantExit = results.Fail, exitFailed
				if !strings.Contains(r.stderr, id) {
					t.Errorf("stderr does not name %s:\n%s", id, r.stderr)
				}
			}
			caught(id)
		}
		// A flaw that trips nothing under this policy may still make a
		// requirement not apply (iss-unadvertised: iss is not required).
		if got[id] != want && !(len(trips) == 0 && got[id] == results.Skip) {
			t.Errorf("%s: %s, want %s (%s)", id, got[id], want, summaryOf(r.run, id))
		}
	}
	if r.code != wantExit {
		t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, wantExit, r.stderr)
	}
}

func contains[T comparable](list []T, s T) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func summaryOf(run *results.Run, id string) string {
	for _, r := range run.Results {
		if r.ID == id {
			return r.Summary
		}
	}
	return "no result"
}
