package testserver

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// RateLimitProxy forwards requests to a target and answers 429 Too Many
// Requests, with a Retry-After, to some of the requests for one path.
type RateLimitProxy struct {
	URL string // the proxy's base URL, http://127.0.0.1:PORT

	mu      sync.Mutex
	seen    int
	limited int
}

// StartRateLimitProxy starts a proxy to target (a base URL) that answers
// 429 with Retry-After: retryAfter to the first of every `every` requests
// for path: every=1 limits them all, every=2 the first, third, ... (so
// each is answered once the client retries).
func StartRateLimitProxy(t testing.TB, target, path, retryAfter string, every int) *RateLimitProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &RateLimitProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			p.mu.Lock()
			p.seen++
			limit := every <= 1 || (p.seen-1)%every == 0
			if limit {
				p.limited++
			}
			p.mu.Unlock()
			if limit {
				w.Header().Set("Retry-After", retryAfter)
				http.Error(w, "rate limited", http.StatusTooManyRequests)
				return
			}
		}
		rp.ServeHTTP(w, r)
	})
	srv, _ := start(t, h)
	p.URL = srv.URL
	return p
}

// Limited is how many requests were answered 429.
func (p *RateLimitProxy) Limited() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limited
}

// Passed is how many requests for the path were forwarded.
func (p *RateLimitProxy) Passed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen - p.limited
}
