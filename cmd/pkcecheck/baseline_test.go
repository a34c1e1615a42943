package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
)

// TestBaseline: a live waiver turns a failure into waived and the run
// passes; an expired one waives nothing; a waiver for a passing requirement
// is reported as stale.
func TestBaseline(t *testing.T) {
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	cases := []struct {
		name     string
		waivers  string
		wantExit int
		want     results.Status
		stderr   string
	}{
		{"live waiver", fmt.Sprintf("- {id: rfc7636.verifier-mismatch, reason: \"vendor ticket 42\", expires: %s}\n- {id: rfc7636.verifier-length, reason: \"fixed already\"}\n", tomorrow),
			exitOK, results.Waived, "stale"},
		{"expired waiver", fmt.Sprintf("- {id: rfc7636.verifier-mismatch, reason: \"vendor ticket 42\", expires: %s}\n", yesterday),
			exitFailed, results.Fail, "expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeProfile(t, "waivers:\n"+c.waivers)
			r := pkcecheck(t, nil, "demo", "--flaws", "prefix-compare", "--baseline", path,
				"--label-filter", "rfc7636.verifier-mismatch || rfc7636.verifier-length")
			if r.code != c.wantExit {
				t.Errorf("exit %d, want %d\n%s", r.code, c.wantExit, r.stderr)
			}
			if r.run == nil {
				t.Fatal("no results.json")
			}
			if got := statuses(r.run)["rfc7636.verifier-mismatch"]; got != c.want {
				t.Errorf("verifier-mismatch: %s, want %s", got, c.want)
			}
			if !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("stderr does not mention %q:\n%s", c.stderr, r.stderr)
			}
		})
	}
	t.Run("broken baseline", func(t *testing.T) {
		path := writeProfile(t, "waivers:\n  - {id: rfc7636.no-such-thing, reason: x}\n")
		r := pkcecheck(t, nil, "demo", "--baseline", path)
		if r.code != exitUsage || !strings.Contains(r.stderr, path+":2") {
			t.Errorf("exit %d, want %d naming %s:2: %s", r.code, exitUsage, path, r.stderr)
		}
	})
}

// TestFailOnShould: a SHOULD violation warns and passes the run by
// default, and fails it under --fail-on should.
func TestFailOnShould(t *testing.T) {
	for _, c := range []struct {
		failOn   string
		wantExit int
	}{{"must", exitOK}, {"should", exitFailed}} {
		r := pkcecheck(t, nil, "demo", "--flaws", "duplicate-params-first-wins", "--fail-on", c.failOn,
			"--label-filter", "rfc6749.duplicate-params")
		if r.code != c.wantExit {
			t.Errorf("--fail-on %s: exit %d, want %d\n%s", c.failOn, r.code, c.wantExit, r.stderr)
		}
		if r.run == nil || statuses(r.run)["rfc6749.duplicate-params"] != results.Warn {
			t.Errorf("--fail-on %s: duplicate-params not warn", c.failOn)
		}
	}
}
