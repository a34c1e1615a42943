package suites

import (
	"io"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
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
	// Progress, when set, is called as each selected spec starts and ends,
	// on the goroutine that runs the specs.
	Progress func(Progress)
	// Output receives the output of Ginkgo's own console reporter (its
	// progress dots, failure blocks and summary); nil leaves it on standard
	// output, io.Discard silences it.
	Output io.Writer
}

// Run registers the specs for t and runs them in this process. It can be
// called once per process (a Ginkgo rule). The results are in t.Results().
// Ginkgo's own progress output goes to opts.Output (standard output by
// default).
//
// The specs run in one top-level container, so Ginkgo does not shuffle
// them: they run in file and line order, the specs of one requirement one
// after the other, which lets a console show a line per requirement as it
// completes.
func Run(t *Target, opts RunOptions) {
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	if opts.LabelFilter != "" {
		suiteConfig.LabelFilter = opts.LabelFilter
	}
	suiteConfig.LabelFilter = withDefaultLabels(suiteConfig.LabelFilter)
	if opts.Timeout > 0 {
		suiteConfig.Timeout = opts.Timeout
	}
	if opts.T == nil { // under go test, the -ginkgo.* flags decide
		reporterConfig.NoColor = !opts.Color
		reporterConfig.Succinct = !opts.Verbose
		reporterConfig.Verbose = opts.Verbose
	}
	// Ginkgo calls the body of a top-level container when RunSpecs builds
	// the tree, so the recorder exists only from then on.
	ginkgo.Describe("pkcecheck", func() {
		Register(t)
		t.recorder.selectLabels(suiteConfig.LabelFilter)
		t.recorder.progress = opts.Progress
	})
	if opts.Output != nil {
		// RunSpecs builds its default reporter on this writer.
		saved := formatter.ColorableStdOut
		formatter.ColorableStdOut = opts.Output
		defer func() { formatter.ColorableStdOut = saved }()
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
