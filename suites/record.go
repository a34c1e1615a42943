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
	// entryGravity says how grave a failure is (a gravity), for the
	// order of the summary.
	entryGravity = "pkcecheck.gravity"
)

// gravity orders the failed probes of a requirement in its summary, most
// severe first. A failure that names none is gravityOther.
type gravity int

const (
	gravityTokens gravity = iota // tokens issued where they must not be
	gravityCode                  // a code issued where it must not be
	gravityOther                 // another violation of the requirement
	gravityForm                  // refused, but with the wrong status or error code
)

// failAs fails the running spec with msg, graded g.
func failAs(g gravity, msg string) {
	ginkgo.AddReportEntry(entryGravity, int(g), ginkgo.ReportEntryVisibilityNever)
	ginkgo.Fail(msg, 2)
}

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
	// deferred are the refusals probes accepted under lenient error
	// codes, for rfc6749.error-response (see lenient.go).
	deferred []deferredRefusal

	// selected says whether a spec's labels pass the run's label filter;
	// specs it rejects (skipped by Ginkgo) are not results. nil = all.
	selected func(labels []string) bool
	// progress, when set, hears of each selected spec as it starts and ends.
	progress func(Progress)
	// replay numbers the running spec's codes for the reproducers, and
	// script is what they take from the profile (replay.go).
	replay replayState
	script scriptContext
}

type specOutcome struct {
	text     string
	status   results.Status
	msg      string
	gravity  gravity // of a failure
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

// withActive runs f on the installed recorder, holding its lock; nothing
// when none is installed.
func withActive(f func(r *recorder)) {
	activeMu.Lock()
	r := active
	activeMu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r)
}

// record adds evidence to the running spec.
func record(ev results.Evidence) {
	withActive(func(r *recorder) { r.pending = append(r.pending, ev) })
}

// serverError notes that a probe of the running spec was answered with
// HTTP status (5xx): the spec can then not pass (see applyServerErrors).
func serverError(probe string, status int) {
	withActive(func(r *recorder) { r.serverErrors = append(r.serverErrors, serverErrorText(status)+" on "+probe) })
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
	r.pending, r.serverErrors, r.replay = nil, nil, replayState{}
	req, ok := requirementOf(rep.Labels())
	if !ok || !r.isSelected(rep) {
		return Progress{}, false
	}
	o := specOutcome{text: rep.LeafNodeText, evidence: ev, gravity: gravityOther}
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
		case entryGravity:
			if g, ok := e.GetRawValue().(int); ok {
				o.gravity = gravity(g)
			}
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
		Result: r.resultOf(req, r.outcomesOf(req.ID))}, true
}

// severity orders statuses: the worst outcome of a requirement's specs wins.
var severity = map[results.Status]int{results.Skip: 0, results.Pass: 1, results.Warn: 2, results.Error: 3, results.Fail: 4}

// results returns one result per requirement that had specs, in catalogue order.
func (r *recorder) results() []results.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []results.Result
	for _, req := range requirements.All() {
		if outs := r.outcomesOf(req.ID); len(outs) > 0 {
			out = append(out, r.resultOf(req, outs))
		}
	}
	return out
}

// outcomesOf returns the outcomes of id's specs; rfc6749.error-response,
// when it ran, also gets the one of the refusals deferred to it.
func (r *recorder) outcomesOf(id requirements.ID) []specOutcome {
	outs := r.outcomes[id]
	if id != requirements.ErrorResponse || len(outs) == 0 {
		return outs
	}
	if d, ok := deferredOutcome(r.deferred); ok {
		outs = append(append([]specOutcome(nil), outs...), d)
	}
	return outs
}

// resultOf is resultOf with the reproducer of a fail or warn.
func (r *recorder) resultOf(req requirements.Requirement, outs []specOutcome) results.Result {
	res := resultOf(req, outs)
	res.Reproducer = r.script.reproducer(req, res.Status, outs)
	return res
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

// maxSummary bounds a summary's length.
const maxSummary = 1500

// summarize writes the one-line summary of a requirement's outcome. A
// passing requirement gets its catalogue text and the notes of its probes.
// Otherwise every probe that did not pass is listed, most severe first:
// failures (tokens issued, then a code issued, then other violations, then
// a wrong status or error code), then probes that could not run, then
// warnings (SHOULD-level details), then skipped probes, each group counted.
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
	var bad []specOutcome
	for _, o := range outs {
		if o.status != results.Pass {
			bad = append(bad, o)
		}
	}
	sort.SliceStable(bad, func(i, j int) bool {
		if severity[bad[i].status] != severity[bad[j].status] {
			return severity[bad[i].status] > severity[bad[j].status]
		}
		return bad[i].gravity < bad[j].gravity
	})
	var groups []string
	for i := 0; i < len(bad); {
		j := i
		var parts []string
		for ; j < len(bad) && bad[j].status == bad[i].status; j++ {
			parts = append(parts, bad[j].text+": "+bad[j].msg)
		}
		g := strings.Join(parts, "; ")
		switch {
		case len(outs) == 1:
		case i == 0:
			g = fmt.Sprintf("%d of %d probes %s: %s", j-i, len(outs), verb(bad[i].status), g)
		default:
			g = fmt.Sprintf("%d %s: %s", j-i, verb(bad[i].status), g)
		}
		groups = append(groups, g)
		i = j
	}
	s := strings.Join(groups, "; ")
	if len(s) > maxSummary {
		s = s[:maxSummary-3] + "..."
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
		return "skipped"
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
