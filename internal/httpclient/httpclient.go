// Package httpclient provides the one HTTP client pkcecheck uses for protocol
// traffic to the target: it never follows redirects (a redirect is an answer
// to inspect), sends only to the target's hosts, verifies certificates as
// the profile says, bounds each request's time, spaces requests by a rate
// limit, retries (boundedly) what the server answered 429, stops at a
// request budget, and counts what it sent.
package httpclient

import (
	"crypto/tls"
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
// limit, no budget, every host, the system's roots, up to DefaultMaxRetries
// retries after 429, a fresh copy of http.DefaultTransport.
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
	// TLS is the TLS configuration (see TLSConfig); nil keeps the base
	// transport's. It applies to the default transport and to a Transport
	// that is an *http.Transport (which is cloned, not changed).
	TLS *tls.Config
	// AllowedHosts are the hosts requests may go to (host names without
	// port; "*.example.com" allows every host below example.com). A
	// request to another host fails with ErrOutOfScope without being sent.
	// Empty means every host.
	AllowedHosts []string
	// MaxRetries is how often a request answered 429 Too Many Requests is
	// sent again, after the Retry-After the server asked for. When they are
	// used up the request fails with ErrRateLimited. Zero means
	// DefaultMaxRetries; negative means never (the 429 is returned as it
	// is).
	MaxRetries int
	// MaxRetryWait bounds the total wait between the attempts of one
	// request. Zero or negative means Timeout.
	MaxRetryWait time.Duration
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
		base = http.DefaultTransport
	}
	if ht, ok := base.(*http.Transport); ok && (opts.TLS != nil || opts.Transport == nil) {
		ht = ht.Clone()
		if opts.TLS != nil {
			ht.TLSClientConfig = opts.TLS.Clone()
		}
		base = ht
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	retry := retryPolicy{max: opts.MaxRetries, maxWait: opts.MaxRetryWait}
	if retry.max == 0 {
		retry.max = DefaultMaxRetries
	}
	if retry.maxWait <= 0 {
		retry.maxWait = timeout
	}
	t := &transport{
		base: base, timeout: timeout, max: int64(opts.MaxRequests),
		scope: newHostSet(opts.AllowedHosts), retry: retry,
		insecure: opts.TLS != nil && opts.TLS.InsecureSkipVerify,
	}
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
// far (refused and cancelled-before-sending requests are not counted; each
// retry after 429 is counted).
func (c *Client) Requests() int { return int(c.t.sent.Load()) }

// BudgetExhausted reports whether Options.MaxRequests requests have been
// sent (or are on their way): any further one fails with ErrRequestBudget.
func (c *Client) BudgetExhausted() bool { return c.t.exhausted() }
