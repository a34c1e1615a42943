package httpclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// limitedServer answers 429 (with the Retry-After values in order) to the
// first len(retryAfter) requests ("-": no Retry-After; "@+2s": an HTTP-date
// 2 s from now), then 200 with the request body echoed.
// It records every body it saw.
type limitedServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	hits   atomic.Int64
}

func newLimitedServer(t *testing.T, retryAfter ...string) *limitedServer {
	t.Helper()
	s := &limitedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1))
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(body))
		s.mu.Unlock()
		if n <= len(retryAfter) {
			switch v := retryAfter[n-1]; {
			case v == "-":
			case strings.HasPrefix(v, "@+"): // an HTTP-date that far in the future
				d, _ := time.ParseDuration(v[2:])
				w.Header().Set("Retry-After", time.Now().Add(d).UTC().Format(http.TimeFormat))
			default:
				w.Header().Set("Retry-After", v)
			}
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, "ok:"+string(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func post(t *testing.T, ctx context.Context, c *Client, url, body string) (*http.Response, string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.HTTP().Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data), nil
}

// TestRetryAfter429: a 429 is retried after the Retry-After the server
// asked for (seconds or an HTTP-date), with the same body; each attempt is
// counted.
func TestRetryAfter429(t *testing.T) {
	tests := []struct {
		name           string
		retryAfter     []string
		minWait, limit time.Duration
	}{
		{"seconds", []string{"1"}, 900 * time.Millisecond, 3 * time.Second},
		{"zero seconds twice", []string{"0", "0"}, 0, time.Second},
		// An HTTP-date has a resolution of one second: the wait is 1-2 s.
		{"HTTP-date", []string{"@+2s"}, 900 * time.Millisecond, 3 * time.Second},
		{"date in the past", []string{"Mon, 02 Jan 2006 15:04:05 GMT"}, 0, time.Second},
		{"no Retry-After: 1 s backoff", []string{"-"}, 900 * time.Millisecond, 3 * time.Second},
		{"malformed Retry-After: backoff", []string{"soon"}, 900 * time.Millisecond, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newLimitedServer(t, tt.retryAfter...)
			c := New(Options{Timeout: 5 * time.Second})
			start := time.Now()
			resp, body, err := post(t, context.Background(), c, srv.URL, "code=abc&code_verifier=xyz")
			if err != nil {
				t.Fatal(err)
			}
			d := time.Since(start)
			if resp.StatusCode != http.StatusOK || body != "ok:code=abc&code_verifier=xyz" {
				t.Errorf("status %d body %q", resp.StatusCode, body)
			}
			want := len(tt.retryAfter) + 1
			if int(srv.hits.Load()) != want || c.Requests() != want {
				t.Errorf("server saw %d, client counted %d, want %d", srv.hits.Load(), c.Requests(), want)
			}
			for i, b := range srv.bodies {
				if b != "code=abc&code_verifier=xyz" {
					t.Errorf("attempt %d sent body %q", i+1, b)
				}
			}
			if d < tt.minWait || d > tt.limit {
				t.Errorf("took %v, want between %v and %v", d, tt.minWait, tt.limit)
			}
		})
	}
}

// TestRetryBounds: retries stop after MaxRetries, when the wait asked for
// exceeds what is allowed, or past the request's deadline; the caller gets
// ErrRateLimited (not the 429), quickly, and nothing more is sent.
func TestRetryBounds(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		ctxLimit time.Duration
		ra       []string
		hits     int
		msg      string
	}{
		{"retries used up", Options{}, 0, []string{"0", "0", "0", "0", "0"}, 4, "gave up after 4 attempt(s)"},
		{"one retry allowed", Options{MaxRetries: 1}, 0, []string{"0", "0", "0"}, 2, "gave up after 2 attempt(s)"},
		{"wait beyond the timeout", Options{Timeout: 2 * time.Second}, 0, []string{"3600"}, 1, "asked to wait 1h0m0s"},
		{"waits add up beyond the bound", Options{MaxRetryWait: 1500 * time.Millisecond}, 0, []string{"1", "1"}, 2, "beyond the 1.5s allowed"},
		{"wait past the deadline", Options{}, 500 * time.Millisecond, []string{"2"}, 1, "past the request's deadline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newLimitedServer(t, tt.ra...)
			c := New(tt.opts)
			ctx := context.Background()
			if tt.ctxLimit > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctxLimit)
				defer cancel()
			}
			start := time.Now()
			_, _, err := post(t, ctx, c, srv.URL, "x=1")
			if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want ErrRateLimited with %q", err, tt.msg)
			}
			if err != nil && !strings.Contains(err.Error(), "limits.requests_per_second") {
				t.Errorf("the error does not say what to do: %v", err)
			}
			if int(srv.hits.Load()) != tt.hits {
				t.Errorf("server saw %d requests, want %d", srv.hits.Load(), tt.hits)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestRetryDisabled: MaxRetries < 0 hands the 429 over as it is.
func TestRetryDisabled(t *testing.T) {
	srv := newLimitedServer(t, "0")
	c := New(Options{MaxRetries: -1})
	resp, _, err := post(t, context.Background(), c, srv.URL, "x=1")
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || srv.hits.Load() != 1 {
		t.Errorf("resp %v err %v hits %d", resp, err, srv.hits.Load())
	}
}

// TestRetryCancelled: a cancel during the wait ends the request at once.
func TestRetryCancelled(t *testing.T) {
	srv := newLimitedServer(t, "5")
	c := New(Options{Timeout: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := post(t, ctx, c, srv.URL, "x=1")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v", d)
	}
}

// TestRetryUsesBudget: every attempt takes a budget slot; a retry beyond
// the budget is refused.
func TestRetryUsesBudget(t *testing.T) {
	srv := newLimitedServer(t, "0", "0")
	c := New(Options{MaxRequests: 2})
	_, _, err := post(t, context.Background(), c, srv.URL, "x=1")
	if !errors.Is(err, ErrRequestBudget) || !strings.Contains(err.Error(), "limits.max_requests is 2") {
		t.Errorf("err = %v, want ErrRequestBudget naming limits.max_requests", err)
	}
	if srv.hits.Load() != 2 || c.Requests() != 2 || !c.BudgetExhausted() {
		t.Errorf("hits %d, counted %d, exhausted %v", srv.hits.Load(), c.Requests(), c.BudgetExhausted())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 3 ", 3 * time.Second, true},
		{"0", 0, true},
		{"Fri, 01 May 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Friday, 01-May-26 12:01:00 GMT", time.Minute, true}, // RFC 850
		{"Fri May  1 12:00:10 2026", 10 * time.Second, true},  // asctime
		{"Fri, 01 May 2026 11:00:00 GMT", 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"tomorrow", 0, false},
		{"99999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
