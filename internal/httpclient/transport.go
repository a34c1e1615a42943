package httpclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// transport guards the scope, enforces the budget, the rate limit and the
// timeout around the base round tripper, retries answers of 429, and counts
// what it sends.
type transport struct {
	base     http.RoundTripper
	limiter  *rate.Limiter // nil: unlimited
	timeout  time.Duration
	max      int64        // <= 0: unlimited
	reserved atomic.Int64 // budget slots taken (sent or waiting)
	sent     atomic.Int64 // requests handed to base
	scope    hostSet      // empty: every host
	retry    retryPolicy
	insecure bool // certificate verification is off (no trust hint on TLS errors)
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.scope.check(req.URL); err != nil {
		closeBody(req)
		return nil, fmt.Errorf("send %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	return t.retry.do(req, t.once)
}

// once sends req a single time: budget, rate limit, timeout, count.
func (t *transport) once(req *http.Request) (*http.Response, error) {
	if !t.reserve() {
		closeBody(req)
		return nil, fmt.Errorf("send %s %s: %w (limits.max_requests is %d)", req.Method, req.URL.Redacted(), ErrRequestBudget, t.max)
	}
	switch {
	case t.limiter == nil:
	case unthrottled(req.Context()):
		// Send now, but take the slot: later requests wait for it.
		t.limiter.Reserve()
	default:
		if err := t.wait(req.Context()); err != nil {
			t.reserved.Add(-1)
			closeBody(req)
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	t.sent.Add(1)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timedOut := ctx.Err() != nil && req.Context().Err() == nil
		cancel()
		return nil, t.explain(err, timedOut)
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// explain adds what the user can do to the errors they can do something
// about: the target did not answer within limits.timeout, or its
// certificate is not trusted.
func (t *transport) explain(err error, timedOut bool) error {
	switch {
	case timedOut:
		return fmt.Errorf("no response within %v (limits.timeout): %w", t.timeout, err)
	case !t.insecure && isCertError(err):
		return fmt.Errorf("%w (the server's certificate is not trusted: set tls.ca_file in the profile to the PEM file of its CA)", err)
	}
	return err
}

// reserve takes one budget slot, reporting false when none is left.
func (t *transport) reserve() bool {
	if t.max <= 0 {
		t.reserved.Add(1)
		return true
	}
	for {
		n := t.reserved.Load()
		if n >= t.max {
			return false
		}
		if t.reserved.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// exhausted reports whether the budget is spent.
func (t *transport) exhausted() bool { return t.max > 0 && t.reserved.Load() >= t.max }

// wait blocks until the limiter grants a slot or ctx ends. The error wraps
// ctx's error, also when the limiter saw that the slot would come after
// ctx's deadline.
func (t *transport) wait(ctx context.Context) error {
	err := t.limiter.Wait(ctx)
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("wait for request rate limit: %w", ctxErr)
	}
	return fmt.Errorf("wait for request rate limit: %w (%v)", context.DeadlineExceeded, err)
}

// closeBody closes the body of a request that will not be sent, as a
// RoundTripper must.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// cancelBody releases the request's timeout when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// errorsAs is errors.As for a target type T.
func errorsAs[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}
