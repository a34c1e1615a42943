package suites

import (
	"github.com/pkcecheck/pkcecheck/internal/results"
)

// Register adds every spec group to Ginkgo's tree for target t and routes
// the spec outcomes to t's results. Call it once, before RunSpecs.
func Register(t *Target) {
	t.recorder = newRecorder()
	installRecorder(t.recorder)
	registerVerifier(t)
	registerPlain(t)
	registerCode(t)
}

// Results returns one result per requirement that had specs, in catalogue
// order. Call it after the specs ran.
func (t *Target) Results() []results.Result {
	if t.recorder == nil {
		return nil
	}
	return t.recorder.results()
}
