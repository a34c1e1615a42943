package httpclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// recorder is a base transport that answers 200 to everything and counts.
type recorder struct{ n atomic.Int64 }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.n.Add(1)
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("ok")), Request: req, Header: http.Header{}}, nil
}

// TestScopeGuard: requests go only to the allowed hosts (ports aside,
// "*.x" for the hosts below x); others fail with ErrOutOfScope, unsent,
// uncounted and without taking from the budget.
func TestScopeGuard(t *testing.T) {
	base := &recorder{}
	c := New(Options{Transport: base, MaxRequests: 100,
		AllowedHosts: []string{"IdP.Example.com", "*.login.example.net", "127.0.0.1", "[::1]"}})
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://idp.example.com/token", true},
		{"https://IDP.EXAMPLE.COM:8443/token", true},
		{"https://idp.example.com./token", true},
		{"https://eu.login.example.net/authorize", true},
		{"https://a.b.login.example.net/x", true},
		{"http://127.0.0.1:5556/token", true},
		{"http://[::1]:5556/token", true},
		{"https://login.example.net/x", false}, // the wildcard is for the hosts below
		{"https://evil-idp.example.com/token", false},
		{"https://idp.example.com.evil.org/token", false},
		{"https://xlogin.example.net/x", false},
		{"http://127.0.0.2/token", false},
		{"https://tokens.other.example/token", false},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, tt.url, strings.NewReader("code=x"))
		before := base.n.Load()
		resp, err := c.HTTP().Do(req)
		if resp != nil {
			resp.Body.Close()
		}
		sent := base.n.Load() > before
		switch {
		case tt.ok && (err != nil || !sent):
			t.Errorf("%s: err %v, sent %v; want it sent", tt.url, err, sent)
		case !tt.ok && (!errors.Is(err, ErrOutOfScope) || sent):
			t.Errorf("%s: err %v, sent %v; want ErrOutOfScope, not sent", tt.url, err, sent)
		case !tt.ok && !strings.Contains(err.Error(), "scope.hosts"):
			t.Errorf("%s: the error does not say how to allow the host: %v", tt.url, err)
		}
		if cerr := c.CheckScope(tt.url); (cerr == nil) != tt.ok {
			t.Errorf("CheckScope(%s) = %v", tt.url, cerr)
		}
	}
	if c.Requests() != 7 || c.BudgetExhausted() {
		t.Errorf("Requests() = %d, want 7 (refused ones are not counted)", c.Requests())
	}
	if err := c.CheckScope("/relative"); err == nil {
		t.Error("CheckScope accepted a URL without a host")
	}
	// No list: every host.
	open := New(Options{Transport: base})
	if err := open.CheckScope("https://anywhere.example/"); err != nil {
		t.Errorf("without AllowedHosts: %v", err)
	}
}
