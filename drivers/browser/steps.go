package browser

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// noOptionRetry is how often select looks again for an option that is not
// there yet (options filled in by a script).
const noOptionRetry = 100 * time.Millisecond

// action builds a step's chromedp action; opts place its query (inside a
// same-process iframe: FromNode).
type action func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void]

// runStep performs one step within StepTimeout (cut short by a captured
// redirect). An optional step first waits up to its grace timeout for its
// element, and gives up early once one of later shows while its own element
// does not; skipped reports that it did not show.
func (r *run) runStep(s profiles.Step, later []probeTarget) (skipped bool, err error) {
	if s.IsOptional() {
		grace := min(s.GraceTimeout(), r.b.opts.StepTimeout)
		var movedOn atomic.Bool
		err := r.within(grace, func(ctx context.Context) error {
			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			if len(later) > 0 {
				go r.watchMovedOn(wctx, movedOnScript(targetOf(s), later), func() { movedOn.Store(true); cancel() })
			}
			return r.inScope(wctx, s.Frame, visible(s))
		})
		switch {
		case movedOn.Load() && !r.captured():
			return true, nil
		case err == nil:
		case errors.Is(err, context.DeadlineExceeded) && !r.captured() && r.opCtx.Err() == nil:
			return true, nil
		default:
			return false, err
		}
	}
	act, err := r.stepAction(s)
	if err != nil {
		return false, err
	}
	return false, r.within(r.b.opts.StepTimeout, func(ctx context.Context) error { return r.inScope(ctx, s.Frame, act) })
}

// watchMovedOn evaluates script every pollInterval until ctx ends, and
// calls moved (once) when it is true.
func (r *run) watchMovedOn(ctx context.Context, script string, moved func()) {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if yes, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err == nil && yes {
			moved()
			return
		}
	}
}

// stepAction builds the action of s.
func (r *run) stepAction(s profiles.Step) (action, error) {
	switch s.Kind() {
	case profiles.KindFill:
		value := s.Value
		return typeInto(s.Fill, func() (string, error) { return value, nil }), nil
	case profiles.KindTOTP:
		if s.Secret == "" {
			return nil, &permanentError{"a one-time code is asked for, but the step's TOTP secret is empty (set the variable its secret names)"}
		}
		if _, err := s.TOTPCode(time.Now()); err != nil {
			return nil, &permanentError{err.Error()}
		}
		// The code is computed when the field shows, not before the wait.
		return typeInto(s.TOTP, func() (string, error) {
			code, err := s.TOTPCode(time.Now())
			if err == nil {
				r.b.addMasked(code)
			}
			return code, err
		}), nil
	case profiles.KindClick, profiles.KindClickIfPresent:
		sel := s.Selector()
		return func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
			return chromedp.Click(chromedp.CSS(sel), opts...)
		}, nil
	case profiles.KindClickText:
		text := s.ClickText
		return func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
			return chromedp.Click(chromedp.CSS(text), append(opts, byText(text))...)
		}, nil
	case profiles.KindSelect:
		return choose(s.Select, s.Value), nil
	default:
		return visible(s), nil
	}
}

// visible waits until the step's element is visible.
func visible(s profiles.Step) action {
	return func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
		if s.Kind() == profiles.KindClickText {
			opts = append(opts, byText(s.ClickText))
		}
		return chromedp.WaitVisible(chromedp.CSS(s.Selector()), opts...)
	}
}

// typeInto clears the input sel once it is visible and types the value
// (from value, called then) into it key by key, as a user would (setting
// the value is ignored by many pages).
func typeInto(sel string, value func() (string, error)) action {
	return func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
		return chromedp.QueryAfter(chromedp.CSS(sel), func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
			n := nodes[0]
			v, err := value()
			if err != nil {
				return chromedp.Void{}, &permanentError{err.Error()}
			}
			if _, err := callOnNode[chromedp.Void](ctx, t, n.NodeID, clearJS); err != nil {
				return chromedp.Void{}, err
			}
			return chromedp.KeyEventNode(n, v)(ctx, t)
		}, append(opts, chromedp.NodeVisible)...)
	}
}

// choose picks the option value (or the option with that text) of the
// <select> sel, waiting for options a script adds late.
func choose(sel, value string) action {
	return func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
		return chromedp.QueryAfter(chromedp.CSS(sel), func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
			for {
				res, err := callOnNode[string](ctx, t, nodes[0].NodeID, selectJS, value)
				switch {
				case err != nil:
					return chromedp.Void{}, err
				case res == "":
					return chromedp.Void{}, nil
				case res == "not-select":
					return chromedp.Void{}, &permanentError{fmt.Sprintf("%q is not a <select>", sel)}
				}
				select {
				case <-ctx.Done():
					// Not wrapping ctx.Err(): the element is there, an
					// option is missing.
					return chromedp.Void{}, fmt.Errorf("%q has no option with the value or text %q", sel, value)
				case <-time.After(noOptionRetry):
				}
			}
		}, append(opts, chromedp.NodeVisible)...)
	}
}

// describeStep words a step for progress lines and errors (never its value
// or secret).
func describeStep(s profiles.Step) string {
	d := fmt.Sprintf("%s %q", s.Kind(), s.Selector())
	if s.Frame != "" {
		d += fmt.Sprintf(" in frame %q", s.Frame)
	}
	if s.Optional {
		d += " (optional)"
	}
	return d
}
