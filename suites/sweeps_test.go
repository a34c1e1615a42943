package suites

import (
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// TestSweepsAreBounded: the sweeps add a handful of authorizations to a run
// (each spends its own code), and every one is named for list --where.
func TestSweepsAreBounded(t *testing.T) {
	const most = 16
	if n := SweepAuthorizations(); n > most {
		t.Errorf("the sweeps add %d authorizations, want at most %d", n, most)
	}
	named := 0
	for _, id := range requirements.IDs() {
		named += len(Sweeps(id))
	}
	if named != SweepAuthorizations() {
		t.Errorf("%d sweeps named for list --where, %d run", named, SweepAuthorizations())
	}
}
