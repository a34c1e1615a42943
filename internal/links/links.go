// Package links joins the requirement catalogue with the places that check
// it: the suites' specs, the reference provider's flaws that must trip it,
// and the fuzz oracle's rules that judge it. `pkcecheck list --where` prints
// the join, and Check says which links are missing.
package links

import (
	"fmt"
	"slices"

	"github.com/pkcecheck/pkcecheck/fuzz"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/suites"
)

// MinFlaws is how many independent flaws of the reference provider must
// trip each MUST and SHOULD requirement, so that each check is shown to
// catch more than the one way of getting it wrong it was written against.
const MinFlaws = 2

// Link is where one requirement lives.
type Link struct {
	Requirement requirements.Requirement
	Specs       []suites.SpecLocation // the spec files labelled with it
	Sweeps      []string              // the sweep probes among its specs (suites/sweeps.go)
	Flaws       []string              // reference provider flaws that trip it
	Rules       []fuzz.Rule           // fuzz oracle rules that judge it
	// NotFuzzed says why no oracle rule judges it (requirements.NotFuzzed);
	// "" when rules do.
	NotFuzzed string
}

// All returns the link of every requirement, in catalogue order.
func All() []Link {
	var out []Link
	for _, r := range requirements.All() {
		l := Link{Requirement: r, Specs: suites.Where(r.ID), Sweeps: suites.Sweeps(r.ID), Rules: rulesFor(r.ID)}
		l.NotFuzzed, _ = requirements.NotFuzzed(r.ID)
		for _, f := range refidp.Flaws() {
			if slices.Contains(f.Trips, r.ID) {
				l.Flaws = append(l.Flaws, f.Name)
				continue
			}
			for policy, ids := range f.PolicyTrips {
				if slices.Contains(ids, r.ID) {
					l.Flaws = append(l.Flaws, f.Name+" (under "+policy+")")
					break
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// Check returns every missing or dangling link: a requirement without a
// spec; a MUST or SHOULD requirement with fewer than MinFlaws flaws; a flaw
// that trips nothing or an ID outside the catalogue; an oracle rule whose
// requirement is not in the catalogue; a MUST or SHOULD requirement that no
// oracle rule judges and that has no reason why (requirements.NotFuzzed),
// or that has both.
func Check() []error {
	var errs []error
	for _, l := range All() {
		id := l.Requirement.ID
		if len(l.Specs) == 0 {
			errs = append(errs, fmt.Errorf("%s: no spec in suites is labelled with it", id))
		}
		if l.Requirement.Level != requirements.INFO && len(l.Flaws) < MinFlaws {
			errs = append(errs, fmt.Errorf("%s: %d flaw(s) of the reference provider trip it (%v), want at least %d", id, len(l.Flaws), l.Flaws, MinFlaws))
		}
		switch {
		case l.Requirement.Level == requirements.INFO:
		case len(l.Rules) == 0 && l.NotFuzzed == "":
			errs = append(errs, fmt.Errorf("%s: no fuzz oracle rule judges it and requirements.NotFuzzed gives no reason why", id))
		case len(l.Rules) > 0 && l.NotFuzzed != "":
			errs = append(errs, fmt.Errorf("%s: fuzz oracle rules judge it, yet requirements.NotFuzzed says why fuzz does not: drop the reason", id))
		}
	}
	for _, f := range refidp.Flaws() {
		if len(f.Trips)+len(f.PolicyTrips) == 0 {
			errs = append(errs, fmt.Errorf("flaw %s trips no requirement", f.Name))
		}
		all := append([]requirements.ID(nil), f.Trips...)
		for _, ids := range f.PolicyTrips {
			all = append(all, ids...)
		}
		for _, id := range all {
			if _, ok := requirements.Lookup(id); !ok {
				errs = append(errs, fmt.Errorf("flaw %s trips %s, which is not in the catalogue", f.Name, id))
			}
		}
	}
	names := map[string]bool{}
	for _, r := range fuzz.Rules() {
		if names[r.Name] {
			errs = append(errs, fmt.Errorf("oracle rule %s is listed twice", r.Name))
		}
		names[r.Name] = true
		req, ok := requirements.Lookup(r.Requirement)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("oracle rule %s judges %s, which is not in the catalogue", r.Name, r.Requirement))
		case req.Level == requirements.INFO:
			errs = append(errs, fmt.Errorf("oracle rule %s judges %s, an informational entry that can never be violated", r.Name, r.Requirement))
		}
	}
	for _, id := range requirements.NotFuzzedIDs() {
		if req, ok := requirements.Lookup(id); !ok || req.Level == requirements.INFO {
			errs = append(errs, fmt.Errorf("requirements.NotFuzzed gives a reason for %s, which is not a MUST or SHOULD requirement of the catalogue", id))
		}
	}
	for _, id := range suites.Covered() {
		if _, ok := requirements.Lookup(id); !ok {
			errs = append(errs, fmt.Errorf("suites label specs %s, which is not in the catalogue", id))
		}
	}
	return errs
}

// rulesFor are the oracle rules whose findings judge id: the rules of id
// itself, then the rules whose findings with a client other than the public
// one name id (fuzz.RequirementFor: a verifier rule broken by another client
// judges rfc9700.pkce-per-auth-method).
func rulesFor(id requirements.ID) []fuzz.Rule {
	out := fuzz.RulesFor(id)
	for _, r := range fuzz.Rules() {
		if r.Requirement != id && fuzz.RequirementFor(r, "confidential") == id {
			out = append(out, r)
		}
	}
	return out
}
