package process

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitHTTP200(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	never := make(chan struct{})
	exited := make(chan struct{})
	close(exited)
	tests := []struct {
		name    string
		url     string
		done    <-chan struct{}
		timeout time.Duration
		wantErr string
	}{
		{"ready after two 503s", srv.URL, never, 10 * time.Second, ""},
		{"process exited", srv.URL + "/x", exited, 10 * time.Second, "exited before it was ready: boom"},
		{"deadline", "http://127.0.0.1:1/", never, 600 * time.Millisecond, "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.done == exited {
				calls.Store(0) // the server would answer 503 first
			}
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			err := WaitHTTP200(ctx, "test", tt.url, tt.done, func() error { return errors.New("boom") })
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("WaitHTTP200: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("WaitHTTP200 = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
