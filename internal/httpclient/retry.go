package httpclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxRetries is how often a request answered 429 is sent again when
// Options.MaxRetries is zero.
const DefaultMaxRetries = 3

// ErrRateLimited is returned (wrapped) when the target kept answering 429
// Too Many Requests: the retries were used up, or the wait it asked for was
// longer than allowed. The request could not be exercised; its 429 says
// nothing about the requirement it probes.
var ErrRateLimited = errors.New("the server kept answering 429 Too Many Requests")

// maxDiscard bounds what is read of a 429 body before the retry, so the
// connection can be reused.
const maxDiscard = 64 << 10

// retryPolicy resends requests answered 429, after the delay the server
// asks for in Retry-After (RFC 9110 §10.2.3: seconds or an HTTP-date), or
// 1 s, 2 s, 4 s... without one. Resending is safe for every request
// pkcecheck sends: a server that answers 429 has not processed the request
// (RFC 6585 §4), so an authorization code sent with it was not consumed.
type retryPolicy struct {
	max     int           // retries after the first attempt; < 0: none (the 429 is returned)
	maxWait time.Duration // total wait between the attempts of one request
}

// do sends req with send, again after each 429 while the policy allows.
func (p retryPolicy) do(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	var waited time.Duration
	resentIdle := false
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			var err error
			if r, err = rewind(req); err != nil {
				return nil, err
			}
		}
		resp, err := send(r)
		if err != nil && closedIdle(err) && !resentIdle {
			// The server had closed the kept-alive connection before
			// reading the request: it was never processed, so it is sent
			// once more on a new connection (net/http does this itself
			// only for idempotent requests; a token request is a POST).
			resentIdle = true
			if r, err = rewind(req); err != nil {
				return nil, err
			}
			resp, err = send(r)
		}
		if err != nil || resp.StatusCode != http.StatusTooManyRequests || p.max < 0 {
			return resp, err
		}
		retryAfter := resp.Header.Get("Retry-After")
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDiscard))
		_ = resp.Body.Close()
		delay, why := p.delay(req.Context(), retryAfter, attempt, waited)
		if why != "" {
			return nil, fmt.Errorf("send %s %s: %w: %s (lower limits.requests_per_second)", req.Method, req.URL.Redacted(), ErrRateLimited, why)
		}
		if err := sleep(req.Context(), delay); err != nil {
			return nil, fmt.Errorf("send %s %s: wait %v to retry after 429: %w", req.Method, req.URL.Redacted(), delay, err)
		}
		waited += delay
	}
}

// delay is how long to wait before attempt+1, or why not to retry at all.
func (p retryPolicy) delay(ctx context.Context, retryAfter string, attempt int, waited time.Duration) (time.Duration, string) {
	shown := ""
	if retryAfter != "" {
		shown = fmt.Sprintf(", Retry-After %q", retryAfter)
	}
	if attempt > p.max {
		return 0, fmt.Sprintf("gave up after %d attempt(s)%s", attempt, shown)
	}
	d, ok := parseRetryAfter(retryAfter, time.Now())
	if !ok {
		d = time.Second << (attempt - 1)
	}
	if waited+d > p.maxWait {
		return 0, fmt.Sprintf("it asked to wait %v%s, beyond the %v allowed for retries (limits.timeout)", d.Round(time.Millisecond), shown, p.maxWait)
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return 0, fmt.Sprintf("it asked to wait %v%s, past the request's deadline", d.Round(time.Millisecond), shown)
	}
	return d, ""
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (a date in the past means now). ok is false for a missing or malformed
// value.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// rewind returns a copy of req with a fresh body, for a retry.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("send %s %s: %w: the request body cannot be sent again", req.Method, req.URL.Redacted(), ErrRateLimited)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("send %s %s: rewind the body to retry after 429: %w", req.Method, req.URL.Redacted(), err)
	}
	r.Body = body
	return r, nil
}

// closedIdle reports whether err is net/http's "server closed idle
// connection": the server closed a kept-alive connection while it was idle,
// and the request written to it was not read. net/http exports no value
// for it, so its text is matched.
func closedIdle(err error) bool {
	return strings.Contains(err.Error(), "http: server closed idle connection")
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
