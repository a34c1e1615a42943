package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// checkExpected compares a run against a real provider (named provider)
// with the statuses its measured behaviour calls for: every requirement
// has an expectation, every expected requirement a result with one of the
// expected statuses, no unexpected failure, and stderr names every failed
// requirement. It returns the results by ID.
func checkExpected(t *testing.T, r cliResult, provider string, expected map[string][]results.Status) map[string]results.Result {
	t.Helper()
	if r.run == nil || len(r.run.Results) == 0 {
		t.Fatal("no results")
	}
	got := map[string]results.Result{}
	for _, res := range r.run.Results {
		got[res.ID] = res
		if _, known := expected[res.ID]; !known {
			if res.Status == results.Fail || res.Status == results.Error {
				t.Errorf("%s: %s: %s", res.ID, res.Status, res.Summary)
			} else {
				t.Logf("%s: %s (no expectation yet): %s", res.ID, res.Status, res.Summary)
			}
		}
	}
	for _, req := range requirements.All() {
		if _, ok := expected[string(req.ID)]; !ok && !requirements.OffByDefault(req.ID) {
			t.Errorf("%s: no expectation for %s", req.ID, provider)
		}
	}
	for id, want := range expected {
		res, ok := got[id]
		if !ok {
			t.Errorf("%s: not reported", id)
			continue
		}
		if !slices.Contains(want, res.Status) {
			t.Errorf("%s: %s, want %v: %s", id, res.Status, want, res.Summary)
		}
		if res.Status == results.Fail && !strings.Contains(r.stderr, id) {
			t.Errorf("stderr does not name the failed %s", id)
		}
	}
	return got
}
