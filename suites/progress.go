package suites

import (
	"github.com/onsi/ginkgo/v2/types"
	"github.com/pkcecheck/pkcecheck/requirements"

	"github.com/pkcecheck/pkcecheck/results"
)

// Progress is one step of a run as it happens: a spec starts (Done false)
// or has ended (Done true). Specs the label filter leaves out are not
// reported. See RunOptions.Progress.
type Progress struct {
	// Done is false when the spec starts and true when it has ended.
	Done bool
	// Requirement is the catalogue ID the spec checks.
	Requirement requirements.ID
	// Spec is the spec's text, e.g. "refuses a verifier: truncated".
	Spec string

	// When Done:

	// Status is the spec's own outcome.
	Status results.Status
	// Message is the first line of why the spec did not pass ("" when it
	// passed).
	Message string
	// Result is the requirement's verdict over its specs that ended so far
	// (the specs of one requirement run one after the other).
	Result results.Result
}

// start tells progress that a spec is about to run.
func (r *recorder) start(rep types.SpecReport) {
	if r.progress == nil {
		return
	}
	req, ok := requirementOf(rep.Labels())
	if !ok || !r.isSelected(rep) {
		return
	}
	r.progress(Progress{Requirement: req.ID, Spec: rep.LeafNodeText})
}

// selectLabels makes the recorder ignore the specs that filter, a Ginkgo
// label filter, leaves out. An invalid filter selects everything (Ginkgo
// itself reports the error).
func (r *recorder) selectLabels(filter string) {
	if filter == "" {
		r.selected = nil
		return
	}
	f, err := types.ParseLabelFilter(filter)
	if err != nil {
		r.selected = nil
		return
	}
	r.selected = f
}

// isSelected reports whether rep's spec passes the label filter.
func (r *recorder) isSelected(rep types.SpecReport) bool {
	return r.selected == nil || r.selected(rep.Labels())
}
