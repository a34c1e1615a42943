package fuzz

import (
	"bytes"
	"context"
	"errors"
	"github.com/pkcecheck/pkcecheck/requirements"
	"strings"
	"testing"
)

// flawCases are the simulated flaws a campaign must find within the default
// budget, with the group the shrunk finding must have and a bound on the
// shrunk case.
var flawCases = []struct {
	flaw   string
	group  string
	check  func(t *testing.T, f *Finding)
	others bool // other groups are expected too
}{
	{flaw: "prefix-compare", group: GroupPrefixCompare, check: func(t *testing.T, f *Finding) {
		oneEdit(t, f)
		if f.Shrink.Boundary != 40 {
			t.Errorf("boundary %d, want 40", f.Shrink.Boundary)
		}
	}},
	{flaw: "case-insensitive-compare", group: GroupCaseInsensitive, check: oneEdit},
	{flaw: "no-charset-check", group: GroupCharsetUnchecked, check: func(t *testing.T, f *Finding) {
		if n := len(f.Case.Verifier); n > 44 {
			t.Errorf("shrunk verifier has %d bytes, want ≤ 44: %q", n, f.Case.Verifier)
		}
		if b := badCount([]rune(f.Case.Verifier)); b != 1 {
			t.Errorf("shrunk verifier has %d bad characters, want 1", b)
		}
	}},
	{flaw: "no-length-check", group: GroupLengthUnchecked, check: func(t *testing.T, f *Finding) {
		if n := len(f.Case.Verifier); n != 129 && n > 42 {
			t.Errorf("shrunk verifier has %d characters, want 129 or the raw one below 43", n)
		}
	}},
	{flaw: "method-not-bound", group: GroupMethodNotBound, check: noEdits},
	{flaw: "verifier-optional", group: GroupVerifierMissing, check: noEdits},
	{flaw: "pkce-ignored", group: GroupVerifierMismatch, others: true},
	{flaw: "unknown-method-as-s256", group: GroupMethodUnsupported},
	{flaw: "lax-challenge-format", group: GroupChallengeFormat},
	// An omitted method taken for S256 and checked against the S256 grammar:
	// the S256 preimage redeems a code registered without a method, under
	// plain: forbidden too (the code may be issued; plain is not the fault).
	{flaw: "default-method-s256-strict", group: GroupOmittedAsS256},
	// Partial-value checks (refidp/partial.go): the sweeps find them, and
	// the shrinker brings them to the place and shape that shows them.
	{flaw: "charset-regexp-unanchored-start", group: GroupCharsetUnchecked, others: true, check: badAt(0, 44)},
	{flaw: "charset-regexp-unanchored-end", group: GroupCharsetUnchecked, others: true, check: badAt(43, 44)},
	{flaw: "charset-blacklist", group: GroupCharsetUnchecked, check: func(t *testing.T, f *Finding) {
		if r := []rune(f.Case.Verifier); badCount(r) != 1 || strings.ContainsAny(f.Case.Verifier, " \t\r\n\x00+/=%") || r[firstBad(r)] > 0x7f {
			t.Errorf("shrunk verifier %q: want one bad character, outside the blacklist", f.Case.Verifier)
		}
	}},
	{flaw: "verifier-decoded-twice", group: GroupCharsetUnchecked, others: true, check: func(t *testing.T, f *Finding) {
		if !strings.Contains(f.Case.Verifier, "%") {
			t.Errorf("shrunk verifier %q holds no escape", f.Case.Verifier)
		}
	}},
	{flaw: "verifier-length-in-a-byte", group: GroupLengthUnchecked, check: func(t *testing.T, f *Finding) {
		if n := len(f.Case.Verifier); n < 256+43 || n > 256+128 {
			t.Errorf("shrunk verifier has %d characters, want 256 + 43 to 256 + 128", n)
		}
	}},
	{flaw: "challenge-unreserved-alphabet", group: GroupChallengeFormat},
	{flaw: "challenge-trimmed", group: GroupChallengeFormat},
	{flaw: "challenge-regexp-prefix", group: GroupChallengeFormat},
	{flaw: "method-contains-s256", group: GroupMethodUnsupported},
	{flaw: "method-prefix-of-s256", group: GroupMethodUnsupported},
	{flaw: "method-trimmed", group: GroupMethodUnsupported},
	{flaw: "s256-short-only", group: GroupInteropToken, check: func(t *testing.T, f *Finding) {
		if n := len(f.Case.Verifier); n != 101 {
			t.Errorf("shrunk verifier has %d characters, want 101 (the shortest refused)", n)
		}
	}},
}

// badAt checks that the shrunk verifier has n characters and its one bad
// character at position i.
func badAt(i, n int) func(t *testing.T, f *Finding) {
	return func(t *testing.T, f *Finding) {
		t.Helper()
		r := []rune(f.Case.Verifier)
		if len(r) != n || badCount(r) != 1 || firstBad(r) != i {
			t.Errorf("shrunk verifier %q: want %d characters, one bad one at position %d", f.Case.Verifier, n, i)
		}
	}
}

func oneEdit(t *testing.T, f *Finding) {
	t.Helper()
	if n := len(allEdits(f.Case)); n != 1 {
		t.Errorf("shrunk case has %d edits, want 1: %s", n, Derivation(f.Case))
	}
}

func noEdits(t *testing.T, f *Finding) {
	t.Helper()
	if n := len(allEdits(f.Case)); n != 0 {
		t.Errorf("shrunk case has %d edits, want 0: %s", n, Derivation(f.Case))
	}
}

// TestCampaignFindsFlaws: against the simulated provider, each flaw is found
// within the default budget for every one of 40 seeds, in its group, and
// shrunk within the bound; nothing else is reported.
func TestCampaignFindsFlaws(t *testing.T) {
	for _, fc := range flawCases {
		t.Run(fc.flaw, func(t *testing.T) {
			worst := 0
			for seed := uint64(1); seed <= 40; seed++ {
				res, err := Run(context.Background(), newSim(fc.flaw), Config{Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				var f *Finding
				for _, g := range res.Findings {
					if g.Group == fc.group {
						f = g
					} else if !fc.others {
						t.Errorf("seed %d: unexpected finding %s: %s (%s)", seed, g.Group, g.Title, Derivation(g.Case))
					}
				}
				if f == nil {
					t.Errorf("seed %d: no %s finding", seed, fc.group)
					continue
				}
				worst = max(worst, f.FirstSeen.TokenCases)
				if f.Shrink.Runs > DefaultMaxShrink*f.Shrink.Shrinks {
					t.Errorf("seed %d: %d shrink runs", seed, f.Shrink.Runs)
				}
				if fc.check != nil {
					fc.check(t, f)
				}
				if t.Failed() {
					t.Logf("seed %d: %s: %s", seed, f.Title, Derivation(f.Case))
					return
				}
			}
			t.Logf("found after at most %d token cases", worst)
		})
	}
}

// TestCampaignClean: the simulated strict provider agrees with the oracle on
// every case, with and without plain support, whether it checks S256
// challenges by length and alphabet (as most servers do) or also asks the
// last character to be canonical: pkcecheck run ignores that difference, so
// fuzz does too.
func TestCampaignClean(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		for i, plain := range []bool{false, true, false, true} {
			s := newSim()
			s.plain, s.canonical = plain, i >= 2
			res, err := Run(context.Background(), s, Config{Seed: seed, Policy: Policy{PlainAllowed: plain}})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Findings {
				t.Errorf("seed %d plain %v canonical %v: finding %s: %s (%s)", seed, plain, s.canonical, f.Group, f.Title, Derivation(f.Case))
			}
			if res.Stats.TokenCases != DefaultBudget || res.Stats.AuthorizeOnly == 0 || res.Stats.AuthorizeOnly > DefaultBudget {
				t.Errorf("stats %+v", res.Stats)
			}
			if res.Stats.CodesMinted != s.n || s.tokenCalls != res.Stats.TokenCases {
				t.Errorf("codes minted %d, sim issued %d; token calls %d", res.Stats.CodesMinted, s.n, s.tokenCalls)
			}
		}
	}
}

// TestCampaignPlainForbiddenButOffered: a server offering plain under a
// policy that forbids it is found at the token endpoint, named or left
// implicit, under rfc7636.plain-policy alone: an omitted method verified as
// plain is what RFC 7636 §4.3 asks, so it is no method-default finding.
func TestCampaignPlainForbiddenButOffered(t *testing.T) {
	s := newSim()
	s.plain = true
	res, err := Run(context.Background(), s, Config{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]requirements.Level{}
	for _, f := range res.Findings {
		groups[f.Group] = f.Level
		if f.Requirement != requirements.PlainPolicy {
			t.Errorf("finding %s under %s, want only %s: %s (%s)", f.Group, f.Requirement, requirements.PlainPolicy, f.Title, Derivation(f.Case))
		}
	}
	if groups[GroupPlainAccepted] != requirements.MUST {
		t.Errorf("groups %v, want %s (must)", groups, GroupPlainAccepted)
	}
}

// TestCampaignOmittedMethodAsS256: where plain is allowed, a server that
// takes an omitted method for S256 is found at the token endpoint: the S256
// preimage redeems the code, under the same requirement run judges it by.
func TestCampaignOmittedMethodAsS256(t *testing.T) {
	for _, flaw := range []string{"default-method-s256", "default-method-s256-strict"} {
		for seed := uint64(1); seed <= 10; seed++ {
			s := newSim(flaw)
			s.plain = true
			res, err := Run(context.Background(), s, Config{Seed: seed, Policy: Policy{PlainAllowed: true}})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range res.Findings {
				if f.Group == GroupOmittedAsS256 && f.Requirement == requirements.MethodDefault && f.Level == requirements.MUST {
					found = true
				}
			}
			if !found {
				t.Errorf("%s seed %d: no %s finding among %d", flaw, seed, GroupOmittedAsS256, len(res.Findings))
			}
		}
	}
}

// TestCampaignServerErrors: a server answering malformed verifiers with
// HTTP 500 refuses them, so nothing is a finding, but the campaign counts
// the server errors and the summary says a server error is never a pass.
func TestCampaignServerErrors(t *testing.T) {
	res, err := Run(context.Background(), newSim("server-error-on-malformed"), Config{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Stats.ServerErrors == 0 {
		t.Fatalf("%d findings, %d server errors; want none and some", len(res.Findings), res.Stats.ServerErrors)
	}
	var out bytes.Buffer
	WriteSummary(&out, &File{Stats: FileStats{Stats: res.Stats}}, "")
	if !strings.Contains(out.String(), "answered with a server error (HTTP 5xx): a server error is never a pass") {
		t.Errorf("summary:\n%s", out.String())
	}
}

// TestCampaignBudgetAndProgress: the budget bounds token cases, shrink runs
// are bounded per finding, progress comes every 25 token cases.
func TestCampaignBudgetAndProgress(t *testing.T) {
	var progress bytes.Buffer
	s := newSim("prefix-compare", "no-charset-check")
	res, err := Run(context.Background(), s, Config{Seed: 9, Budget: 60, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stats
	if st.TokenCases != 60 {
		t.Errorf("token cases %d, want 60", st.TokenCases)
	}
	if st.ShrinkRuns > DefaultMaxShrink*len(res.Findings) {
		t.Errorf("%d shrink runs for %d findings", st.ShrinkRuns, len(res.Findings))
	}
	if s.authorizeCalls != st.Cases() {
		t.Errorf("sim saw %d authorization requests, stats say %d cases", s.authorizeCalls, st.Cases())
	}
	if lines := strings.Count(progress.String(), "\n"); lines != 2 {
		t.Errorf("%d progress lines, want 2:\n%s", lines, progress.String())
	}
}

// TestCampaignStops: cancellation and target failures end the campaign with
// the findings so far.
func TestCampaignStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, newSim(), Config{Seed: 1})
	if !errors.Is(err, context.Canceled) || res == nil || res.Stats.TokenCases != 0 {
		t.Errorf("cancelled: res %+v err %v", res, err)
	}

	s := newSim("case-insensitive-compare")
	s.failAfter = 120
	res, err = Run(context.Background(), s, Config{Seed: 1})
	if !errors.Is(err, errSimDown) {
		t.Fatalf("err %v, want the target's", err)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %d, want the one found before the failure", len(res.Findings))
	}
}
