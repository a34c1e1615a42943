package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Bounds of the frame lookup.
const (
	// frameAttempt bounds one try to act inside an iframe's current
	// document: the iframe may load another document meanwhile, so its node
	// is looked up afresh after each try.
	frameAttempt = time.Second
	// frameRetry is the pause between tries.
	frameRetry = 50 * time.Millisecond
)

// inScope runs act on the tab (frame "") or inside the iframe frame, until
// it succeeds, fails for good or ctx ends.
//
// chromedp reaches an iframe in two ways. A frame in the page's process
// (same site) has its document in the page's DOM tree: queries start from
// it with FromNode. A frame of another site runs in its own process and is
// a target of its own (its ID is the frame ID of the <iframe> node): the
// action runs on a context attached to it with WithTargetID.
func (r *run) inScope(ctx context.Context, frame string, act action) error {
	if frame == "" {
		return chromedp.Do(ctx, act())
	}
	var last error
	for {
		if err := ctx.Err(); err != nil {
			if last != nil {
				return last
			}
			return err
		}
		last = r.inFrameOnce(ctx, frame, act)
		switch {
		case last == nil:
			return nil
		case isPermanent(last):
			return last
		}
		select {
		case <-ctx.Done():
		case <-time.After(frameRetry):
		}
	}
}

// inFrameOnce looks up the iframe and tries act once inside it.
func (r *run) inFrameOnce(ctx context.Context, frame string, act action) error {
	fctx, cancel := context.WithTimeout(ctx, frameAttempt)
	defer cancel()
	nodes, err := chromedp.Run(fctx, chromedp.Nodes(chromedp.CSS(frame), chromedp.NodeVisible))
	if err != nil {
		return &frameError{frame: frame, err: err}
	}
	n := nodes[0]
	if name := strings.ToUpper(n.NodeName); name != "IFRAME" && name != "FRAME" {
		return &permanentError{fmt.Sprintf("frame %q is a <%s>, not an <iframe>", frame, strings.ToLower(n.NodeName))}
	}
	switch {
	case n.ContentDocument != nil:
		return chromedp.Do(fctx, act(chromedp.FromNode(n)))
	case n.FrameID != "":
		r.b.opts.Logf("authorize: frame %q runs in its own process: attaching to it", frame)
		return r.inTarget(fctx, target.ID(n.FrameID), act)
	default:
		return fmt.Errorf("frame %q has no document yet", frame)
	}
}

// inTarget runs act on the out-of-process iframe id, attached for this one
// try and detached afterwards (WithDetachOnCancel: cancelling a context
// attached with WithTargetID would otherwise close the target, and with an
// iframe the whole page).
func (r *run) inTarget(ctx context.Context, id target.ID, act action) error {
	tctx, cancel := chromedp.NewContext(r.opCtx, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	defer cancel()
	// The first call fixes the attachment's lifetime to its context: attach
	// on tctx itself, bounded from outside.
	attached := make(chan error, 1)
	go func() { attached <- chromedp.Do(tctx) }()
	select {
	case err := <-attached:
		if err != nil {
			return fmt.Errorf("attach to the frame: %w", err)
		}
	case <-ctx.Done():
		cancel()
		<-attached
		return ctx.Err()
	}
	actx, acancel := context.WithCancel(tctx)
	defer acancel()
	if dl, ok := ctx.Deadline(); ok {
		var dcancel context.CancelFunc
		actx, dcancel = context.WithDeadline(actx, dl)
		defer dcancel()
	}
	defer context.AfterFunc(ctx, acancel)()
	return chromedp.Do(actx, act())
}

// frameError is an iframe that did not show.
type frameError struct {
	frame string
	err   error
}

func (e *frameError) Error() string { return fmt.Sprintf("frame %q not visible: %v", e.frame, e.err) }
func (e *frameError) Unwrap() error { return e.err }

// isPermanent reports failures that retrying cannot fix: our own, and a
// selector the browser rejects as invalid CSS.
func isPermanent(err error) bool {
	if errors.Is(err, errPermanent) {
		return true
	}
	var e *cdproto.Error
	return errors.As(err, &e) && e.Message == "DOM Error while querying"
}
