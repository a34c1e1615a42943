// Package httpclient provides the one HTTP client pkcecheck uses for protocol
// traffic to the target: it never follows redirects (a redirect is an answer
// to inspect), bounds each request's time, spaces requests by a rate limit,
// stops at a request budget, and counts what it sent.
package httpclient

import (
	"errors"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// DefaultTimeout bounds one request when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// ErrRequestBudget is returned (wrapped) for requests beyond Options.MaxRequests.
var ErrRequestBudget = errors.New("request budget exhausted")

// Options configure a Client. The zero value means: 10 s per request, no rate
// limit, no budget, a fresh copy of http.DefaultTransport.
type Options struct {
	// Timeout bounds one request, from the moment it leaves the rate limiter
	// until its response body is closed (queueing on the limiter does not
	// count). Zero or negative means DefaultTimeout.
	Timeout time.Duration
	// RequestsPerSecond is the most requests started per second, with a
	// burst of 1. Zero or negative means unlimited.
	RequestsPerSecond float64
	// MaxRequests is the most requests the client sends; later ones fail
	// with ErrRequestBudget without being sent. Zero or negative means
	// unlimited.
	MaxRequests int
	// Transport is the base round tripper (nil: a clone of
	// http.DefaultTransport).
	Transport http.RoundTripper
}

// Client is the protocol HTTP client. It is safe for concurrent use.
type Client struct {
	http *http.Client
	t    *transport
}

// New returns a Client configured by opts.
func New(opts Options) *Client {
	base := opts.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	t := &transport{base: base, timeout: timeout, max: int64(opts.MaxRequests)}
	if opts.RequestsPerSecond > 0 {
		t.limiter = rate.NewLimiter(rate.Limit(opts.RequestsPerSecond), 1)
	}
	return &Client{
		t: t,
		http: &http.Client{
			Transport: t,
			// No Timeout here: the transport applies it after the rate
			// limiter, so waiting for a slot does not eat into it.
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
}

// HTTP returns the http.Client to send requests with. It does not follow
// redirects (3xx responses are returned as they are), waits for the rate
// limiter (honouring the request's context; see Unthrottled for requests
// that must leave together), enforces the budget and the per-request
// timeout, and counts requests.
func (c *Client) HTTP() *http.Client { return c.http }

// Requests returns how many requests were handed to the base transport so
// far (refused and cancelled-before-sending requests are not counted).
func (c *Client) Requests() int { return int(c.t.sent.Load()) }
