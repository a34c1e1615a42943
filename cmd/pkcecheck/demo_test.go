package main

import (
	"sync"

	"github.com/pkcecheck/pkcecheck/internal/links"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	}{
		{"defaults", nil},
		{"plain supported and allowed", []string{"--plain-supported", "--policy-plain", "allowed"}},
		{"plain allowed but not offered", []string{"--policy-plain", "allowed"}},
		{"failed attempts burn the code", []string{"--burn-on-failure"}},
		{"no consent page", []string{"--consent=false"}},
		{"PKCE checked after login", []string{"--check-after-login"}},
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
// nothing else; and every MUST and SHOULD requirement is caught this way
// for at least links.MinFlaws independent flaws.
func TestDemoFlaws(t *testing.T) {
	checked := map[requirements.ID]bool{}
	clean := pkcecheck(t, nil, "demo")
	if clean.run == nil {
		t.Fatalf("clean demo wrote no results (exit %d): %s", clean.code, clean.stderr)
	}
	for _, res := range clean.run.Results {
		checked[requirements.ID(res.ID)] = true
	}
	covered := map[requirements.ID][]string{}
	var mu sync.Mutex
	for _, flaw := range refidp.Flaws() {
		var trips []requirements.ID
		for _, id := range flaw.Trips {
			if checked[id] {
				trips = append(trips, id)
			}
		}
		if len(trips) == 0 {
			continue // its requirement has no spec yet
		}
		t.Run(flaw.Name, func(t *testing.T) {
			r := pkcecheck(t, nil, "demo", "--flaws", flaw.Name)
			if r.run == nil {
				t.Fatalf("no results.json (exit %d): %s", r.code, r.stderr)
			}
			got := statuses(r.run)
			wantExit := exitOK // SHOULD violations warn and do not fail the run
			for id := range checked {
				want := results.Pass
				if contains(trips, id) {
					want = results.Warn
					if req, _ := requirements.Lookup(id); req.Level == requirements.MUST {
						want, wantExit = results.Fail, exitFailed
						if !strings.Contains(r.stderr, string(id)) {
							t.Errorf("stderr does not name %s:\n%s", id, r.stderr)
						}
					}
					mu.Lock()
					covered[id] = append(covered[id], flaw.Name)
					mu.Unlock()
				}
				if got[string(id)] != want {
					t.Errorf("%s: %s, want %s (%s)", id, got[string(id)], want, summaryOf(r.run, string(id)))
				}
			}
			if r.code != wantExit {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, wantExit, r.stderr)
			}
		})
	}
	for id := range checked {
		// Informational results are measurements: they never fail.
		if req, _ := requirements.Lookup(id); len(covered[id]) < links.MinFlaws && req.Level != requirements.INFO {
			t.Errorf("%s is caught for %d flaw(s) of the reference provider %v, want at least %d: the check is not shown to catch each way a server can get it wrong", id, len(covered[id]), covered[id], links.MinFlaws)
		}
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
