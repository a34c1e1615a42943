package httpclient

import "context"

// unthrottledKey marks a request context whose requests skip the wait for
// the rate limiter.
type unthrottledKey struct{}

// Unthrottled returns a context whose requests do not wait for the rate
// limiter, for probes that must send a few requests at the same moment (a
// race of concurrent redemptions). They are still counted, still take their
// slot of the request budget and still pay for their share of the rate: each
// one takes a limiter slot in advance, so the requests after them wait that
// much longer and the average rate holds.
func Unthrottled(ctx context.Context) context.Context {
	return context.WithValue(ctx, unthrottledKey{}, true)
}

// unthrottled reports whether ctx was made by Unthrottled.
func unthrottled(ctx context.Context) bool {
	on, _ := ctx.Value(unthrottledKey{}).(bool)
	return on
}
