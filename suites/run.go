package suites

import (
	"time"

	"github.com/onsi/ginkgo/v2"
)

// RunOptions configure an in-process run of the specs.
type RunOptions struct {
	// LabelFilter is a Ginkgo label filter over requirement IDs, e.g.
	// "rfc7636.verifier-mismatch || rfc6749.code-single-use".
	LabelFilter string
	// Color turns on coloured console output.
	Color bool
	// Verbose prints every spec, not only failures.
	Verbose bool
	// Timeout bounds the whole run.
	Timeout time.Duration
	// T receives the overall outcome under `go test` (a *testing.T); nil
	// outside tests, where the outcome is read from the results.
	T ginkgo.GinkgoTestingT
}

// Run registers the specs for t and runs them in this process. It can be
// called once per process (a Ginkgo rule). The results are in t.Results().
// Ginkgo's own progress output goes to stdout.
func Run(t *Target, opts RunOptions) {
	Register(t)
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	if opts.LabelFilter != "" {
		suiteConfig.LabelFilter = opts.LabelFilter
	}
	if opts.Timeout > 0 {
		suiteConfig.Timeout = opts.Timeout
	}
	if opts.T == nil { // under go test, the -ginkgo.* flags decide
		reporterConfig.NoColor = !opts.Color
		reporterConfig.Succinct = !opts.Verbose
		reporterConfig.Verbose = opts.Verbose
	}
	var t0 ginkgo.GinkgoTestingT = failRecorder{}
	if opts.T != nil {
		t0 = opts.T
	}
	ginkgo.RunSpecs(t0, "pkcecheck", suiteConfig, reporterConfig)
}

// failRecorder stands in for testing.T outside `go test`: the outcome is
// read from the results, not from this.
type failRecorder struct{}

func (failRecorder) Fail() {}
