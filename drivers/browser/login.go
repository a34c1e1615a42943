package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// login performs the profile's login steps once, each waiting up to
// StepTimeout for its selector to be visible. The document the form is
// submitted from is marked, so that the state machine can tell "the form
// is still there, the submit is in flight" from "the form showed again".
func (r *run) login(p probeResult) error {
	b := r.b
	b.opts.Logf("authorize: login form at %s", redactURL(p.URL))
	steps := b.opts.Login
	submit := len(steps) - 1 // the last step that acts (not a wait)
	for submit > 0 && steps[submit].Kind() == KindWait {
		submit--
	}
	for i, s := range steps {
		if i == submit {
			r.mark(markLoginDoc)
		}
		b.opts.Logf("authorize: login step %d: %s %q", i+1, s.Kind(), s.Selector())
		if err := r.step(s); err != nil {
			if r.captured() {
				// The server let us through before the remaining steps:
				// the state machine returns the redirect.
				break
			}
			if r.opCtx.Err() != nil {
				return r.stopped()
			}
			return r.fail(&LoginError{Step: i + 1, Kind: s.Kind(), Selector: s.Selector(),
				Where: location(b.opts.ProfilePath, s.Line), URL: redactURL(r.location()), Err: r.stepErr(err)})
		}
	}
	r.loggedIn = true
	b.logins.Add(1)
	return nil
}

// consent clicks the i-th consent step (once per Authorize call).
func (r *run) consent(i int, p probeResult) error {
	b := r.b
	s := b.opts.Consent[i]
	r.consented[i] = true
	b.opts.Logf("authorize: consent step %d: click %q at %s", i+1, s.Selector(), redactURL(p.URL))
	if err := r.click(s.Selector()); err != nil {
		if r.captured() {
			return nil
		}
		if r.opCtx.Err() != nil {
			return r.stopped()
		}
		return r.fail(&LoginError{Step: i + 1, Kind: KindConsent, Selector: s.Selector(),
			Where: location(b.opts.ProfilePath, s.Line), URL: redactURL(r.location()), Err: r.stepErr(err)})
	}
	return nil
}

// step runs one login step within StepTimeout. It stops early when the
// redirect is captured meanwhile.
func (r *run) step(s profiles.Step) error {
	switch s.Kind() {
	case KindFill:
		sel := chromedp.CSS(s.Fill)
		quoted, _ := json.Marshal(s.Fill)
		// SendKeys types like a user (SetValue is ignored by many pages);
		// clear first so autofill or a previous value does not stay.
		clear := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(() => { const e = document.querySelector(%s); if (e) { e.value = ''; } })()`, quoted))
		return r.within(chromedp.Steps(chromedp.WaitVisible(sel), clear, chromedp.SendKeys(sel, s.Value, chromedp.NodeVisible)))
	case KindClick:
		return r.click(s.Click)
	default:
		return r.within(chromedp.WaitVisible(chromedp.CSS(s.Wait)))
	}
}

// click clicks the element once it is visible.
func (r *run) click(selector string) error {
	return r.within(chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// within runs a on the tab, bounded by StepTimeout and cut short by a
// captured redirect.
func (r *run) within(a chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(r.opCtx, r.b.opts.StepTimeout)
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
	return chromedp.Do(ctx, a)
}

// stepErr words a step failure without chromedp's internals.
func (r *run) stepErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
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
