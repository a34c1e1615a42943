package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/fuzz"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// rulesWithoutFlaw are the oracle rules no flaw of the reference provider
// breaks, with the reason. The simulated provider of package fuzz breaks
// them (fuzz.TestCampaignFindsFlaws, TestJudge), and links.Check holds their
// requirement and level to the catalogue like every rule's.
var rulesWithoutFlaw = map[string]string{
	fuzz.RuleAuthorizeS256Refused.Name: "a provider refusing well-formed S256 registrations would leave every spec without the codes it needs",
	fuzz.RuleTokenPlainRefused.Name:    "the reference provider verifies plain correctly wherever it offers it",
}

// flawsFuzzMisses are flaws every requirement of which has oracle rules,
// yet that a campaign is not required to find, with the reason. Every
// other such flaw must give a finding: what run fails, fuzz finds.
var flawsFuzzMisses = map[string]string{
	"token-method-override":                 "it acts only on a code_challenge_method sent to the token endpoint, which fuzz never sends there",
	"duplicate-verifier-crash-confidential": "it answers a repeated code_verifier with HTTP 500, and a 5xx where the oracle expects a refusal is counted (server_errors), not a finding; run fails rfc6749.duplicate-params for it",
	"unicode-letters-accepted":              "it shows only when a drawn non-ASCII character is a letter (é, ü or ß of the grammar's six), which some campaigns never draw; run's spec with é catches it every time",
}

// fuzzable reports whether every requirement in ids has oracle rules.
func fuzzable(ids []requirements.ID) bool {
	for _, id := range ids {
		if len(fuzz.RulesFor(id)) == 0 {
			return false
		}
	}
	return len(ids) > 0
}

// TestFuzzAgreesWithRun: fuzz and run judge by one definition of each
// violation. For every flaw of the reference provider, a campaign against
// it reports only requirements the flaw trips — the ones TestDemoFlaws
// shows pkcecheck run failing (MUST) or warning (SHOULD) — each at the
// catalogue's level, and exits as run does (1 for a MUST finding, else 0).
// Every oracle rule is broken by some flaw, and both tools catch it (the
// documented exceptions aside); a flaw whose requirements all have oracle
// rules is found (the partial-value flaws among them: the grammar's sweeps
// find what a check that sees part of a value lets through). The clean provider gives no finding, with
// plain forbidden or supported and allowed.
func TestFuzzAgreesWithRun(t *testing.T) {
	if testing.Short() {
		t.Skip("a campaign per flaw")
	}
	type campaign struct {
		name  string
		flaw  *refidp.Flaw
		plain bool
	}
	var campaigns []campaign
	for _, plain := range []bool{false, true} {
		campaigns = append(campaigns, campaign{"clean", nil, plain})
	}
	for _, f := range refidp.Flaws() {
		campaigns = append(campaigns, campaign{f.Name, &f, false})
		if slices.Contains(f.Trips, requirements.MethodDefault) || slices.Contains(f.Trips, requirements.PlainPolicy) {
			campaigns = append(campaigns, campaign{f.Name, &f, true})
		}
	}
	broken := map[string][]string{} // rule -> campaigns that found it
	for i, c := range campaigns {
		name := c.name
		if c.plain {
			name += "/plain-allowed"
		}
		t.Run(name, func(t *testing.T) {
			args := []string{"fuzz", "--demo", "--seed", fmt.Sprint(1000 + i)}
			if c.flaw != nil {
				args = append(args, "--flaws", c.flaw.Name)
			}
			if c.plain {
				args = append(args, "--plain-supported")
			}
			if c.flaw != nil && c.flaw.ErrorCodes() == profiles.ErrorCodesLenient {
				args = append(args, "--policy-error-codes", profiles.ErrorCodesLenient) // as TestDemoFlaws runs it
			}
			r := pkcecheck(t, nil, args...)
			doc := readFindings(t, r.out)
			wantExit := exitOK
			for _, f := range doc.Findings {
				req, ok := requirements.Lookup(requirements.ID(f.Requirement))
				switch {
				case !ok:
					t.Errorf("finding %s: requirement %q is not in the catalogue", f.Group, f.Requirement)
				case c.flaw == nil:
					t.Errorf("clean provider: finding %s (%s %s): %s", f.Group, f.Requirement, f.Level, f.Title)
				case !slices.Contains(c.flaw.Trips, req.ID):
					t.Errorf("finding %s: %s, which run does not fail for this flaw (it trips %v): %s", f.Group, f.Requirement, c.flaw.Trips, f.Title)
				}
				if f.Level != string(req.Level) || f.Severity != strings.ToLower(string(req.Level)) {
					t.Errorf("finding %s: level %s (severity %s), the catalogue gives %s %s", f.Group, f.Level, f.Severity, f.Requirement, req.Level)
				}
				if req.Level == requirements.MUST {
					wantExit = exitFailed
				}
				broken[f.Rule] = append(broken[f.Rule], name)
			}
			if c.flaw != nil && !c.plain && len(doc.Findings) == 0 && fuzzable(c.flaw.Trips) && flawsFuzzMisses[c.flaw.Name] == "" {
				t.Errorf("no finding, though run fails %v for this flaw and oracle rules judge each of them", c.flaw.Trips)
			}
			if r.code != wantExit {
				t.Errorf("exit %d, want %d (as run: 1 only for a MUST violation)\nstderr:\n%s", r.code, wantExit, r.stderr)
			}
		})
	}
	var missing []string
	for _, rule := range fuzz.Rules() {
		_, excused := rulesWithoutFlaw[rule.Name]
		switch {
		case len(broken[rule.Name]) > 0 && excused:
			t.Errorf("rule %s is broken by %v: drop it from rulesWithoutFlaw", rule.Name, broken[rule.Name])
		case len(broken[rule.Name]) == 0 && !excused:
			missing = append(missing, rule.Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no flaw of the reference provider breaks oracle rules %v: fuzz and run are not shown to agree on them", missing)
	}
	for rule, by := range broken {
		t.Logf("%s: %s", rule, strings.Join(by, ", "))
	}
}
