package browser

import (
	"strings"
	"sync"

	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// UsedStep is one login or consent step taken in a session, for the
// report: the kind of page, the step (kind, selector, frame; never a
// value) and how it was chosen ("given: profiles/x.yaml:12" or
// "detected: autocomplete=username").
type UsedStep struct {
	Page string `json:"page"`
	Step string `json:"step"`
	How  string `json:"how"`
}

// detectedPrefix starts the How of a detected step.
const detectedPrefix = "detected"

// GivenStep is the UsedStep of s, a step of the profile at path, taken on
// a page of kind page ("login" or "consent").
func GivenStep(page string, s profiles.Step, path string) UsedStep {
	how := "given"
	if w := location(path, s.Line); w != "" {
		how += ": " + w
	}
	return UsedStep{Page: page, Step: describeStep(s), How: how}
}

// DetectedStep is the UsedStep of a planned by detection on a page of
// kind k.
func DetectedStep(k loginpage.Kind, a loginpage.Action) UsedStep {
	return UsedStep{Page: string(k), Step: describeStep(a.Step), How: detectedPrefix + ": " + a.Why}
}

// IsDetected reports whether s was found by detection (not given by the
// profile).
func IsDetected(s UsedStep) bool { return strings.HasPrefix(s.How, detectedPrefix) }

// maxUsedSteps bounds the steps a StepLog remembers.
const maxUsedSteps = 64

// StepLog is the list of distinct steps a session took, in the order
// first taken. Safe for concurrent use.
type StepLog struct {
	mu    sync.Mutex
	steps []UsedStep
}

// Add records s unless it is recorded already or the log is full.
func (l *StepLog) Add(s UsedStep) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, have := range l.steps {
		if have == s {
			return
		}
	}
	if len(l.steps) < maxUsedSteps {
		l.steps = append(l.steps, s)
	}
}

// List returns a copy of the steps.
func (l *StepLog) List() []UsedStep {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]UsedStep(nil), l.steps...)
}

// UsedSteps returns the distinct login and consent steps the browser took
// so far (given by the profile or detected), in the order first taken.
func (b *Browser) UsedSteps() []UsedStep { return b.steps.List() }
