package refidp

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// runProbes runs every probe against h and returns the violated requirement
// IDs with what went wrong.
func runProbes(h *harness) map[requirements.ID]string {
	out := make(map[requirements.ID]string)
	for _, p := range probes {
		if msg := p.run(h); msg != "" {
			out[p.id] = msg
		}
	}
	return out
}

// TestProbesCoverCatalogue keeps the self-test probes in step with the
// requirement catalogue.
func TestProbesCoverCatalogue(t *testing.T) {
	seen := make(map[requirements.ID]bool)
	for _, p := range probes {
		if _, ok := requirements.Lookup(p.id); !ok {
			t.Errorf("probe for unknown requirement %s", p.id)
		}
		if seen[p.id] {
			t.Errorf("two probes for %s", p.id)
		}
		seen[p.id] = true
	}
	for _, r := range requirements.All() {
		// Informational entries are measurements, not requirements a
		// server can break.
		if !seen[r.ID] && r.Level != requirements.INFO {
			t.Errorf("no probe for %s", r.ID)
		}
	}
}

// TestCleanServersPassEveryProbe runs the probes against the clean server in
// its option variants: nothing may be violated.
func TestCleanServersPassEveryProbe(t *testing.T) {
	cases := []struct {
		name         string
		mutate       func(*Config)
		plainAllowed bool
		oauth21      bool
	}{
		{"defaults", nil, false, false},
		{"policy oauth2.1-draft16", nil, false, true},
		{"plain supported, policy allowed", func(c *Config) { c.PlainSupported = true }, true, false},
		{"consent, burn on failure, check after login", func(c *Config) {
			c.Consent, c.BurnOnFailure, c.CheckAfterLogin = true, true, true
		}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := startHarness(t, tc.mutate)
			h.plainAllowed, h.oauth21 = tc.plainAllowed, tc.oauth21
			for id, msg := range runProbes(h) {
				t.Errorf("%s violated: %s", id, msg)
			}
		})
	}
}

// TestEachFlawTripsExactlyItsRequirements runs every probe against a server
// with one flaw: the violated requirements must be exactly the flaw's Trips
// (policy plain: forbidden, pkce_required: public), and under the
// oauth2.1-draft16 policy exactly its PolicyTrips there.
func TestEachFlawTripsExactlyItsRequirements(t *testing.T) {
	for _, f := range Flaws() {
		runs := map[string][]requirements.ID{"": f.Trips}
		if trips, ok := f.PolicyTrips[oauth21]; ok {
			runs[oauth21] = trips
		}
		for policy, trips := range runs {
			name := f.Name
			if policy != "" {
				name += "/" + policy
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				h := startHarness(t, func(c *Config) { c.Flaws = []string{f.Name} })
				h.oauth21 = policy == oauth21
				h.lenient = f.ErrorCodes() == profiles.ErrorCodesLenient
				checkTrips(t, runProbes(h), trips)
			})
		}
	}
}

// checkTrips compares the violated requirements with the expected ones.
func checkTrips(t *testing.T, got map[requirements.ID]string, trips []requirements.ID) {
	t.Helper()
	want := make(map[requirements.ID]bool)
	for _, id := range trips {
		want[id] = true
		if _, ok := got[id]; !ok {
			t.Errorf("%s not tripped", id)
		}
	}
	for id, msg := range got {
		if !want[id] {
			t.Errorf("%s also tripped: %s", id, msg)
		}
	}
	if !t.Failed() {
		t.Logf("trips %s", strings.Join(sortedKeys(got), ", "))
	}
}

func sortedKeys(m map[requirements.ID]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

func TestFlawCatalogue(t *testing.T) {
	tripped := make(map[requirements.ID]bool)
	names := make(map[string]bool)
	for _, f := range Flaws() {
		if names[f.Name] {
			t.Errorf("flaw %s listed twice", f.Name)
		}
		names[f.Name] = true
		if f.Description == "" || len(f.Trips)+len(f.PolicyTrips) == 0 {
			t.Errorf("flaw %s lacks a description or trips", f.Name)
		}
		all := append([]requirements.ID(nil), f.Trips...)
		for policy, ids := range f.PolicyTrips {
			if policy != oauth21 || len(ids) == 0 {
				t.Errorf("flaw %s: policy trips under unknown policy profile %q or empty", f.Name, policy)
			}
			all = append(all, ids...)
		}
		for _, id := range all {
			if _, ok := requirements.Lookup(id); !ok {
				t.Errorf("flaw %s trips unknown requirement %s", f.Name, id)
			}
			tripped[id] = true
		}
	}
	for _, r := range requirements.All() {
		if !tripped[r.ID] && r.Level != requirements.INFO {
			t.Errorf("no flaw trips %s", r.ID)
		}
	}
	// Flaws returns copies: changing them does not change the catalogue.
	fs := Flaws()
	fs[0].Trips[0] = "changed"
	if Flaws()[0].Trips[0] == "changed" {
		t.Error("Flaws shares its Trips slices with the catalogue")
	}
}

// TestS256ShortOnlyBoundary pins the flaw's edge: 100 characters redeem, 101
// do not, and the confidential client is unaffected.
func TestS256ShortOnlyBoundary(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.Flaws = []string{flawS256ShortOnly} })
	cases := []struct {
		c      cred
		n      int
		wantOK bool
	}{
		{pub, 43, true}, {pub, 100, true}, {pub, 101, false}, {pub, 128, false}, {confBasic, 128, true},
	}
	for _, tc := range cases {
		v := newVerifier(t, tc.n)
		r := h.exchange(tc.c, h.codeS256(tc.c, v), verifierP(v))
		if r.ok() != tc.wantOK {
			t.Errorf("%s, %d characters: ok=%t (%d %s), want %t", tc.c.id, tc.n, r.ok(), r.Status, r.Error, tc.wantOK)
		}
		if !tc.wantOK && r.Error != "invalid_grant" {
			t.Errorf("%d characters: error %q, want invalid_grant", tc.n, r.Error)
		}
	}
}

// TestRacyRedeemConcurrentWinsSeveral: under racy-redeem several concurrent
// redemptions win (sequential replays are refused: see the flaw matrix).
func TestRacyRedeemConcurrentWinsSeveral(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.Flaws = []string{flawRacyRedeem} })
	v := newVerifier(t, 43)
	wins, _, err := h.race(h.codeS256(pub, v), v, 10)
	if err != nil {
		t.Fatal(err)
	}
	if wins < 2 {
		t.Errorf("%d winners under racy-redeem, want several", wins)
	}
	t.Logf("racy-redeem: %d of 10 concurrent redemptions won", wins)
}

func TestStartRejectsUnknownFlaw(t *testing.T) {
	_, err := Start(context.Background(), Config{
		Username: "u", Password: "p", RedirectURI: testRedirect, ConfidentialSecret: "s",
		Flaws: []string{flawDowngrade, "no-such-flaw"},
	})
	if err == nil || !strings.Contains(err.Error(), "no-such-flaw") {
		t.Fatalf("Start error = %v, want one naming no-such-flaw", err)
	}
}
