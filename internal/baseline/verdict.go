package baseline

import (
	"fmt"
	"strings"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// FailOn is the --fail-on threshold: which violations make the exit status 1.
type FailOn string

const (
	// FailOnMust: only fail results (MUST violations) fail the run. The default.
	FailOnMust FailOn = "must"
	// FailOnShould: warn results of MUST and SHOULD requirements fail the run
	// too. Warnings of INFO entries (measurements) never do.
	FailOnShould FailOn = "should"
)

// ParseFailOn reads a --fail-on value; "" is FailOnMust.
func ParseFailOn(s string) (FailOn, error) {
	switch FailOn(s) {
	case "", FailOnMust:
		return FailOnMust, nil
	case FailOnShould:
		return FailOnShould, nil
	}
	return "", fmt.Errorf("--fail-on %q: want must or should", s)
}

// Exit statuses decided after the probes (docs/design.md). 2 (usage or profile)
// and 3 before any probe (discovery, login) are the CLI's to decide.
const (
	ExitOK     = 0 // nothing failed
	ExitFailed = 1 // a requirement failed (after the baseline)
	ExitError  = 3 // a requirement could not be exercised
)

// Verdict is what a run's results, after the baseline, mean for the exit
// status.
type Verdict struct {
	Code    int      // ExitOK, ExitFailed or ExitError
	Failed  []string // IDs that fail the run: fail, and warn under should
	Errored []string // IDs whose status is error
}

// Judge decides the exit status of a run: ExitFailed if any result is fail
// (or, under FailOnShould, warn on a MUST or SHOULD requirement), else
// ExitError if any result is error, else ExitOK. Waived, skipped and passed
// results never count. An unknown failOn is treated as FailOnMust.
func Judge(run *results.Run, failOn FailOn) Verdict {
	var v Verdict
	if run == nil {
		return v
	}
	for _, r := range run.Results {
		switch {
		case r.Status == results.Fail:
			v.Failed = append(v.Failed, r.ID)
		case r.Status == results.Warn && failOn == FailOnShould && !isInfo(r):
			v.Failed = append(v.Failed, r.ID)
		case r.Status == results.Error:
			v.Errored = append(v.Errored, r.ID)
		}
	}
	switch {
	case len(v.Failed) > 0:
		v.Code = ExitFailed
	case len(v.Errored) > 0:
		v.Code = ExitError
	}
	return v
}

// ExitStatus is Judge(run, failOn).Code.
func ExitStatus(run *results.Run, failOn FailOn) int { return Judge(run, failOn).Code }

// Reason says in one line why the status is not ExitOK ("" when it is).
func (v Verdict) Reason() string {
	switch v.Code {
	case ExitFailed:
		return fmt.Sprintf("%d requirement(s) failed: %s", len(v.Failed), strings.Join(v.Failed, ", "))
	case ExitError:
		return fmt.Sprintf("%d requirement(s) could not be checked: %s", len(v.Errored), strings.Join(v.Errored, ", "))
	}
	return ""
}

// isInfo reports whether r is an informational entry: by its level, or, when
// the result carries none, by the catalogue.
func isInfo(r results.Result) bool {
	if r.Level != "" {
		return r.Level == string(requirements.INFO)
	}
	req, ok := requirements.Lookup(requirements.ID(r.ID))
	return ok && req.Level == requirements.INFO
}
