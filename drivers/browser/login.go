package browser

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// login performs the profile's login steps once, in order: each waits up to
// StepTimeout for its element to be visible (an optional step only up to its
// grace timeout, and is skipped if the element does not show). The document
// the form is submitted from is marked, so that the state machine can tell
// "the form is still there, the submit is in flight" from "the form showed
// again".
func (r *run) login(p probeResult) error {
	b := r.b
	b.opts.Logf("authorize: login form at %s", redactURL(p.URL))
	steps := b.opts.Login
	submit := submitStep(steps)
	for i, s := range steps {
		if i == submit {
			r.mark(markLoginDoc)
		}
		b.opts.Logf("authorize: login step %d: %s", i+1, describeStep(s))
		began := time.Now()
		skipped, err := r.runStep(s, r.laterTargets(i))
		if err != nil {
			if r.captured() {
				// The server let us through before the remaining steps:
				// the state machine returns the redirect.
				break
			}
			if r.opCtx.Err() != nil {
				return r.stopped()
			}
			return r.fail(&LoginError{Step: i + 1, Kind: s.Kind(), Selector: s.Selector(), Frame: s.Frame,
				Where: location(b.opts.ProfilePath, s.Line), URL: redactURL(r.location()), Err: r.stepErr(err)})
		}
		if !skipped {
			b.steps.Add(GivenStep("login", s, b.opts.ProfilePath))
		}
		if skipped {
			b.opts.Logf("authorize: login step %d skipped: its element did not show (waited at most %v)", i+1, min(s.GraceTimeout(), b.opts.StepTimeout))
		} else {
			b.opts.Logf("authorize: login step %d done in %d ms", i+1, time.Since(began).Milliseconds())
		}
	}
	r.loggedIn = true
	b.logins.Add(1)
	return nil
}

// laterTargets are the elements whose showing tells the optional login
// step i that its page is not coming: those of the later steps that are not
// optional, and the consent steps'.
func (r *run) laterTargets(i int) []probeTarget {
	var out []probeTarget
	for _, s := range r.b.opts.Login[i+1:] {
		if !s.IsOptional() {
			out = append(out, targetOf(s))
		}
	}
	return append(out, targets(r.b.opts.Consent)...)
}

// submitStep is the index of the step that submits the login: the last
// one that acts and is not optional.
func submitStep(steps []profiles.Step) int {
	for i := len(steps) - 1; i > 0; i-- {
		if steps[i].Kind() != profiles.KindWait && !steps[i].IsOptional() {
			return i
		}
	}
	return 0
}

// consent performs the i-th consent step (once per Authorize call).
func (r *run) consent(i int, p probeResult) error {
	b := r.b
	s := b.opts.Consent[i]
	r.consented[i] = true
	b.opts.Logf("authorize: consent step %d: %s at %s", i+1, describeStep(s), redactURL(p.URL))
	b.steps.Add(GivenStep("consent", s, b.opts.ProfilePath))
	if _, err := r.runStep(s, nil); err != nil {
		if r.captured() {
			return nil
		}
		if r.opCtx.Err() != nil {
			return r.stopped()
		}
		return r.fail(&LoginError{Step: i + 1, Kind: KindConsent, Action: s.Kind(), Selector: s.Selector(), Frame: s.Frame,
			Where: location(b.opts.ProfilePath, s.Line), URL: redactURL(r.location()), Err: r.stepErr(err)})
	}
	return nil
}

// within runs f on the tab within d, cut short by a captured redirect.
func (r *run) within(d time.Duration, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(r.opCtx, d)
	defer cancel()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-r.capt.done:
			cancel()
		case <-stop:
		}
	}()
	return f(ctx)
}

// stepErr words a step failure without chromedp's internals.
func (r *run) stepErr(err error) error {
	var fe *frameError
	switch {
	case errors.As(err, &fe) && errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("frame %q not visible after %v", fe.frame, r.b.opts.StepTimeout)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("selector not visible after %v", r.b.opts.StepTimeout)
	}
	return err
}

// location is the tab's current URL, or "" if it cannot be read.
func (r *run) location() string {
	ctx, cancel := context.WithTimeout(r.opCtx, cdpTimeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return ""
	}
	return u
}
