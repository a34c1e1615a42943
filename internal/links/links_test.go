package links

import (
	"testing"

	"github.com/pkcecheck/pkcecheck/fuzz"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// TestCatalogueIsLinked: every requirement has its specs, every MUST and
// SHOULD requirement its flaws, every flaw and every oracle rule an
// existing requirement.
func TestCatalogueIsLinked(t *testing.T) {
	for _, err := range Check() {
		t.Error(err)
	}
}

// TestOracleLevelsAreTheCatalogues: a rule's level is its requirement's
// level, read from the catalogue, never a word of the oracle's own.
func TestOracleLevelsAreTheCatalogues(t *testing.T) {
	for _, r := range fuzz.Rules() {
		req, _ := requirements.Lookup(r.Requirement)
		if r.Level() != req.Level {
			t.Errorf("%s: level %s, the catalogue says %s", r.Name, r.Level(), req.Level)
		}
	}
}

// TestAllKeepsCatalogueOrder: one link per requirement, in catalogue order,
// with its places filled in.
func TestAllKeepsCatalogueOrder(t *testing.T) {
	all := All()
	if len(all) != len(requirements.All()) {
		t.Fatalf("%d links for %d requirements", len(all), len(requirements.All()))
	}
	for i, r := range requirements.All() {
		if all[i].Requirement.ID != r.ID {
			t.Errorf("link %d is %s, want %s", i, all[i].Requirement.ID, r.ID)
		}
	}
	if l := all[0]; len(l.Specs) == 0 || len(l.Flaws) == 0 || len(l.Rules) == 0 {
		t.Errorf("%s: specs %v flaws %v rules %v", l.Requirement.ID, l.Specs, l.Flaws, l.Rules)
	}
}

// TestEveryRequirementIsFuzzedOrSaysWhyNot: every MUST and SHOULD entry,
// those added since docs/design.md's first version included, has an oracle
// rule or a reason in requirements.NotFuzzed, which `list --where` prints.
func TestEveryRequirementIsFuzzedOrSaysWhyNot(t *testing.T) {
	for _, l := range All() {
		if l.Requirement.Level == requirements.INFO {
			continue
		}
		if (len(l.Rules) == 0) == (l.NotFuzzed == "") {
			t.Errorf("%s: %d rule(s), reason %q: want rules or a reason, not both or neither", l.Requirement.ID, len(l.Rules), l.NotFuzzed)
		}
	}
}
