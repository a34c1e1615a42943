package httpclient

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// burst sends n requests at once with ctx and returns their errors.
func burst(t *testing.T, ctx context.Context, c *Client, url string, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = get(t, ctx, c, url)
		}()
	}
	wg.Wait()
	return errs
}

// TestUnthrottled: requests with an Unthrottled context skip the limiter's
// wait but are counted, honour the budget, and are paid for by the requests
// after them.
func TestUnthrottled(t *testing.T) {
	srv, hits := newServer(t)
	// 10 rps: throttled, 8 requests would take at least 700 ms.
	c := New(Options{RequestsPerSecond: 10, MaxRequests: 10})
	ctx := Unthrottled(context.Background())

	start := time.Now()
	for i, err := range burst(t, ctx, c, srv.URL+"/", 8) {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("the unthrottled burst took %v, want well under the 700ms the limiter would impose", d)
	}
	if c.Requests() != 8 || hits.Load() != 8 {
		t.Errorf("Requests() = %d, server saw %d, want 8 and 8", c.Requests(), hits.Load())
	}

	// The burst took eight slots: a normal request now waits for them.
	start = time.Now()
	if _, err := get(t, context.Background(), c, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 600*time.Millisecond {
		t.Errorf("the request after the burst waited %v, want about 800ms (the burst's slots paid back)", d)
	}

	// One request of the budget is left: of two unthrottled ones, one goes.
	var sent, refused int
	for _, err := range burst(t, ctx, c, srv.URL+"/", 2) {
		switch {
		case err == nil:
			sent++
		case errors.Is(err, ErrRequestBudget):
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if sent != 1 || refused != 1 {
		t.Errorf("%d sent, %d refused by the budget; want 1 and 1", sent, refused)
	}
	if c.Requests() != 10 || hits.Load() != 10 {
		t.Errorf("Requests() = %d, server saw %d, want 10 and 10", c.Requests(), hits.Load())
	}
}
