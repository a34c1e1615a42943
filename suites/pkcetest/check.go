package pkcetest

import (
	"errors"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/reports"
	"github.com/pkcecheck/pkcecheck/session"
)

// Options configure a Check.
type Options struct {
	// LabelFilter selects requirements by ID with a Ginkgo label filter, e.g.
	// "rfc7636.verifier-mismatch || rfc6749.code-single-use"; "" = every
	// requirement (or what -ginkgo.label-filter selects).
	LabelFilter string
	// OutDir, when set, receives junit.xml, results.json, report.html and
	// report.md, and the screenshot and page of a failed login. When empty
	// no report is written and login failures go to a t.TempDir().
	OutDir string
	// Chromium is the browser binary; "" = $PKCECHECK_CHROMIUM, then
	// chromium, chromium-browser or google-chrome on PATH.
	Chromium string
}

// checked is set by the first Check of the process.
var checked atomic.Bool

// Check runs the suites against the server p describes and returns the
// report. Every requirement that fails, warns or cannot be exercised fails t
// (t.Errorf names it with its summary; Ginkgo's own report of the failed
// specs goes to standard output, shown by go test -v or on failure). When
// the server cannot be exercised at all (discovery, Chromium, login) Check
// stops the test with t.Fatal.
//
// p is a profile as profiles.Load or profiles.Parse return it; a profile
// built in code gets the file format's defaults for an empty policy and
// zero limits, and needs Clients.Public and the login steps. Call Check
// once per test binary (see the package doc).
func Check(t *testing.T, p *profiles.Profile, opts Options) *Report {
	t.Helper()
	if p == nil || p.Clients.Public == nil {
		t.Fatal("pkcetest: the profile needs at least clients.public")
	}
	if !checked.CompareAndSwap(false, true) {
		t.Fatal("pkcetest: Check runs once per test binary (Ginkgo runs its specs once per process); check another server from another package or a re-executed test binary")
	}
	out := opts.OutDir
	if out == "" {
		out = t.TempDir()
	}
	run, err := session.Execute(t.Context(), withDefaults(p), session.Options{
		OutDir: out, LabelFilter: opts.LabelFilter, Chromium: opts.Chromium,
		Log: logWriter{t}, Version: moduleVersion(), T: t,
	})
	if run == nil {
		var te *session.TargetError
		if errors.As(err, &te) {
			t.Fatalf("pkcetest: %s could not be exercised: %v", p.Name, err)
		}
		t.Fatalf("pkcetest: %s: %v", p.Name, err)
	}
	if err != nil {
		t.Errorf("pkcetest: the run was cut short: %v", err)
	}
	if opts.OutDir != "" {
		if werr := reports.WriteAll(opts.OutDir, run); werr != nil {
			t.Errorf("pkcetest: %v", werr)
		} else {
			t.Logf("pkcetest: reports in %s", opts.OutDir)
		}
	}
	for _, r := range run.Results {
		switch r.Status {
		case Fail, Warn, Error:
			t.Errorf("%s: %s: %s", r.ID, strings.ToUpper(string(r.Status)), r.Summary)
		}
	}
	if len(run.Results) == 0 {
		t.Errorf("pkcetest: no requirement was checked (does the label filter %q match any requirement ID?)", opts.LabelFilter)
	}
	return run
}

// withDefaults returns a copy of p with the file format's defaults where a
// profile built in code left the policy or the limits empty.
func withDefaults(p *profiles.Profile) *profiles.Profile {
	q := *p
	if q.Policy.PKCERequired == "" {
		q.Policy.PKCERequired = profiles.PKCERequiredPublic
	}
	if q.Policy.Plain == "" {
		q.Policy.Plain = profiles.PlainForbidden
	}
	if q.Policy.ErrorCodes == "" {
		q.Policy.ErrorCodes = profiles.ErrorCodesStrict
	}
	if q.Limits.Timeout <= 0 {
		q.Limits.Timeout = profiles.DefaultTimeout
	}
	if q.Limits.RequestsPerSecond <= 0 && q.Limits.RateSource == "" {
		// As the file format does: no limit for a server on this machine.
		q.ApplyRateDefault()
	}
	return &q
}

// logWriter turns the session's progress lines into test log lines.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(b []byte) (int, error) {
	w.t.Log("pkcetest: " + strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// modulePath is pkcecheck's module, as it appears among a test binary's
// dependencies.
const modulePath = "github.com/pkcecheck/pkcecheck"

// moduleVersion is pkcecheck's version in this binary: the dependency's
// version in another module's tests, "devel" in its own.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				return d.Version
			}
		}
	}
	return "devel"
}
