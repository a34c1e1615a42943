package httpclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// newServer starts a 127.0.0.1 server that counts hits and redirects /redirect.
func newServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "/target?code=x", http.StatusFound)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		default:
			_, _ = io.WriteString(w, "ok")
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func get(t *testing.T, ctx context.Context, c *Client, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.HTTP().Do(req)
	if err == nil {
		_, _ = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
	}
	return resp, err
}

func TestCountsRequests(t *testing.T) {
	srv, hits := newServer(t)
	c := New(Options{})
	for i := 0; i < 5; i++ {
		if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if got := c.Requests(); got != 5 {
		t.Errorf("Requests() = %d, want 5", got)
	}
	if got := hits.Load(); got != 5 {
		t.Errorf("server saw %d requests, want 5", got)
	}
}

func TestRateLimit(t *testing.T) {
	srv, _ := newServer(t)
	c := New(Options{RequestsPerSecond: 20})
	start := time.Now()
	for i := 0; i < 6; i++ {
		if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	elapsed := time.Since(start)
	t.Logf("6 requests at 20 rps took %v", elapsed)
	// Burst 1: the first goes at once, the next five wait 50 ms each.
	if elapsed < 240*time.Millisecond {
		t.Errorf("6 requests at 20 rps took %v, want >= 250ms", elapsed)
	}
	if elapsed > 2*time.Second {
		t.Errorf("6 requests at 20 rps took %v, want well under 2s", elapsed)
	}
}

func TestUnlimitedIsFast(t *testing.T) {
	srv, _ := newServer(t)
	c := New(Options{})
	start := time.Now()
	for i := 0; i < 6; i++ {
		if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
			t.Fatal(err)
		}
	}
	if elapsed := time.Since(start); elapsed > 200*time.Millisecond {
		t.Errorf("6 unlimited requests took %v", elapsed)
	}
}

func TestBudget(t *testing.T) {
	srv, hits := newServer(t)
	c := New(Options{MaxRequests: 3})
	for i := 0; i < 3; i++ {
		if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
			t.Fatalf("request %d within budget: %v", i, err)
		}
	}
	for i := 0; i < 2; i++ {
		_, err := get(t, context.Background(), c, srv.URL+"/")
		if !errors.Is(err, ErrRequestBudget) {
			t.Fatalf("request beyond budget: err = %v, want ErrRequestBudget", err)
		}
	}
	if got := c.Requests(); got != 3 {
		t.Errorf("Requests() = %d, want 3", got)
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("server saw %d requests, want 3", got)
	}
}

func TestNoRedirectFollowing(t *testing.T) {
	srv, hits := newServer(t)
	c := New(Options{})
	resp, err := get(t, context.Background(), c, srv.URL+"/redirect")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status = %d, want 302", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); loc != "/target?code=x" {
		t.Errorf("Location = %q", loc)
	}
	if hits.Load() != 1 || c.Requests() != 1 {
		t.Errorf("server hits %d, counted %d; want 1 and 1", hits.Load(), c.Requests())
	}
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	srv, hits := newServer(t)
	c := New(Options{RequestsPerSecond: 0.5}) // the second slot is 2 s away
	if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancelled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline before slot", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			_, err := get(t, ctx, c, srv.URL+"/")
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("returned after %v, want promptly", d)
			}
		})
	}
	if hits.Load() != 1 || c.Requests() != 1 {
		t.Errorf("server hits %d, counted %d; want 1 and 1", hits.Load(), c.Requests())
	}
}

func TestCancelledWaitReleasesBudget(t *testing.T) {
	srv, _ := newServer(t)
	// One slot every 2 s: the cancellation below (after 20 ms) comes long
	// before the slot even on a loaded machine, so the request is cancelled
	// while it waits, never while it is being sent.
	c := New(Options{RequestsPerSecond: 0.5, MaxRequests: 2})
	if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	// Cancelled while waiting for its slot (2 s away).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := get(t, ctx, c, srv.URL+"/"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
		t.Errorf("second budgeted request failed: %v", err)
	}
	if c.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2", c.Requests())
	}
}

func TestTimeout(t *testing.T) {
	srv, _ := newServer(t)
	c := New(Options{Timeout: 100 * time.Millisecond})
	start := time.Now()
	_, err := get(t, context.Background(), c, srv.URL+"/slow")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("timed out after %v, want ~100ms", d)
	}
}

func TestTimeoutExcludesLimiterWait(t *testing.T) {
	srv, _ := newServer(t)
	// 150 ms between slots, 100 ms per request: the second request waits
	// longer than the timeout for its slot and must still succeed.
	c := New(Options{Timeout: 100 * time.Millisecond, RequestsPerSecond: 1 / 0.15})
	for i := 0; i < 2; i++ {
		if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
}
