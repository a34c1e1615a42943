package suites

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// Report entry names the specs use to talk to the recorder.
const (
	entryError = "pkcecheck.error" // the probe could not run: status error
	entryWarn  = "pkcecheck.warn"  // a lesser violation: status warn whatever the level
	entryNote  = "pkcecheck.note"  // a remark for the summary
)

// maxEvidence bounds the evidence kept per requirement.
const maxEvidence = 40

// recorder turns spec outcomes into one result per requirement. Specs run
// serially, so the evidence of the running spec is kept in one buffer.
type recorder struct {
	mu      sync.Mutex
	pending []results.Evidence // evidence of the spec that is running
	// serverErrors are the 5xx answers the running spec got, described.
	serverErrors []string
	outcomes     map[requirements.ID][]specOutcome

	// selected says whether a spec's labels pass the run's label filter;
	// specs it rejects (skipped by Ginkgo) are not results. nil = all.
	selected func(labels []string) bool
	// progress, when set, hears of each selected spec as it starts and ends.
	progress func(Progress)
}

type specOutcome struct {
	text     string
	status   results.Status
	msg      string
	notes    []string
	evidence []results.Evidence
}

var (
	activeMu sync.Mutex
	active   *recorder
)

func newRecorder() *recorder {
	return &recorder{outcomes: map[requirements.ID][]specOutcome{}}
}

// record adds evidence to the running spec.
func record(ev results.Evidence) {
	activeMu.Lock()
	r := active
	activeMu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	r.pending = append(r.pending, ev)
	r.mu.Unlock()
}

// serverError notes that a probe of the running spec was answered with
// HTTP status (5xx): the spec can then not pass (see applyServerErrors).
func serverError(probe string, status int) {
	activeMu.Lock()
	r := active
	activeMu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	r.serverErrors = append(r.serverErrors, serverErrorText(status)+" on "+probe)
	r.mu.Unlock()
}

// serverErrorText is how evidence and summaries name a 5xx answer.
func serverErrorText(status int) string { return fmt.Sprintf("server error (HTTP %d)", status) }

// applyServerErrors applies the rule of docs/design.md to a spec whose
// probes got 5xx answers: a server error is never a pass. A spec that would
// pass is error (the server failed instead of answering, so the
// requirement was not shown to hold); a fail, warn or error stands. Either
// way the message names the server errors.
func applyServerErrors(o *specOutcome, serverErrors []string) {
	if len(serverErrors) == 0 {
		return
	}
	what := strings.Join(dedupe(serverErrors), ", ")
	switch o.status {
	case results.Pass:
		o.status, o.msg = results.Error, what+"; a server error is never a pass"
	case results.Skip:
	default:
		o.msg += " [" + what + "]"
	}
}

// requirementOf returns the catalogue ID among a spec's labels.
func requirementOf(labels []string) (requirements.Requirement, bool) {
	for _, l := range labels {
		if r, ok := requirements.Lookup(requirements.ID(l)); ok {
			return r, true
		}
	}
	return requirements.Requirement{}, false
}

// add files the report of one finished spec and tells progress about it.
func (r *recorder) add(rep types.SpecReport) {
	if p, ok := r.file(rep); ok && r.progress != nil {
		r.progress(p)
	}
}

// file files the report of one finished spec and returns the progress
// report on it; false when the spec is not a result.
func (r *recorder) file(rep types.SpecReport) (Progress, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev, serverErrors := r.pending, r.serverErrors
	r.pending, r.serverErrors = nil, nil
	req, ok := requirementOf(rep.Labels())
	if !ok || !r.isSelected(rep) {
		return Progress{}, false
	}
	o := specOutcome{text: rep.LeafNodeText, evidence: ev}
	var harnessErr string
	warned := false
	for _, e := range rep.ReportEntries {
		switch e.Name {
		case entryError:
			harnessErr = e.StringRepresentation()
		case entryWarn:
			warned = true
		case entryNote:
			o.notes = append(o.notes, e.StringRepresentation())
		}
	}
	switch {
	case rep.State.Is(types.SpecStatePassed):
		o.status = results.Pass
	case rep.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		o.status, o.msg = results.Skip, results.FirstLine(rep.Failure.Message)
		if o.msg == "" {
			o.msg = "skipped"
		}
	case harnessErr != "":
		o.status, o.msg = results.Error, harnessErr
	case rep.State.Is(types.SpecStateFailed):
		o.status, o.msg = results.Fail, results.FirstLine(rep.Failure.Message)
		if req.Level != requirements.MUST || warned {
			o.status = results.Warn
		}
	default: // panicked, interrupted, aborted, timed out
		o.status, o.msg = results.Error, fmt.Sprintf("%s: %s", rep.State, results.FirstLine(rep.Failure.Message))
	}
	applyServerErrors(&o, serverErrors)
	r.outcomes[req.ID] = append(r.outcomes[req.ID], o)
	return Progress{Done: true, Requirement: req.ID, Spec: o.text, Status: o.status, Message: o.msg,
		Result: resultOf(req, r.outcomes[req.ID])}, true
}

// severity orders statuses: the worst outcome of a requirement's specs wins.
var severity = map[results.Status]int{results.Skip: 0, results.Pass: 1, results.Warn: 2, results.Error: 3, results.Fail: 4}

// results returns one result per requirement that had specs, in catalogue order.
func (r *recorder) results() []results.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []results.Result
	for _, req := range requirements.All() {
		if outs := r.outcomes[req.ID]; len(outs) > 0 {
			out = append(out, resultOf(req, outs))
		}
	}
	return out
}

// resultOf is the verdict on req from the outcomes of its specs: the worst
// outcome wins.
func resultOf(req requirements.Requirement, outs []specOutcome) results.Result {
	worst := results.Skip
	for _, o := range outs {
		if severity[o.status] > severity[worst] {
			worst = o.status
		}
	}
	return results.Result{
		ID: string(req.ID), Source: req.Source, Level: string(req.Level),
		Status: worst, Summary: summarize(req, worst, outs), Evidence: evidenceOf(outs),
	}
}

// evidenceOf gathers a requirement's evidence, the worst probes first, at
// most maxEvidence exchanges.
func evidenceOf(outs []specOutcome) []results.Evidence {
	sorted := append([]specOutcome(nil), outs...)
	sort.SliceStable(sorted, func(i, j int) bool { return severity[sorted[i].status] > severity[sorted[j].status] })
	ev := []results.Evidence{}
	for _, o := range sorted {
		for _, e := range o.evidence {
			if len(ev) == maxEvidence {
				return ev
			}
			ev = append(ev, e)
		}
	}
	return ev
}

// summarize writes the one-line summary of a requirement's outcome.
func summarize(req requirements.Requirement, worst results.Status, outs []specOutcome) string {
	var notes []string
	for _, o := range outs {
		notes = append(notes, o.notes...)
	}
	if worst == results.Pass {
		s := req.Passes
		if len(notes) > 0 {
			s += " (" + strings.Join(dedupe(notes), "; ") + ")"
		}
		return s
	}
	var parts []string
	n := 0
	for _, o := range outs {
		if o.status == worst {
			n++
			parts = append(parts, o.text+": "+o.msg)
		}
	}
	s := strings.Join(parts, "; ")
	if len(outs) > 1 {
		s = fmt.Sprintf("%d of %d probes %s: %s", n, len(outs), verb(worst), s)
	}
	if len(s) > 600 {
		s = s[:597] + "..."
	}
	return s
}

func verb(s results.Status) string {
	switch s {
	case results.Fail:
		return "failed"
	case results.Warn:
		return "warned"
	case results.Error:
		return "could not run"
	default:
		return "were skipped"
	}
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// installRecorder makes r the recorder that evidence and reports go to.
func installRecorder(r *recorder) {
	activeMu.Lock()
	active = r
	activeMu.Unlock()
	ginkgo.ReportBeforeEach(func(rep ginkgo.SpecReport) { r.start(rep) })
	ginkgo.ReportAfterEach(func(rep ginkgo.SpecReport) { r.add(rep) })
}
