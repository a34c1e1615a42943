package process

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// WaitHTTP200 polls url until it answers 200, the process exits (done is
// closed; exitErr then says how) or ctx ends. A request in flight never
// outlives the process: something else may hold the port and never answer.
// name says which provider, for errors.
func WaitHTTP200(ctx context.Context, name, url string, done <-chan struct{}, exitErr func() error) error {
	client := &http.Client{Timeout: 2 * time.Second}
	reqCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-done:
			cancel()
		case <-reqCtx.Done():
		}
	}()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("build the readiness request for %s: %w", name, err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
		} else {
			last = err
		}
		select {
		case <-done:
			return fmt.Errorf("%s exited before it was ready: %v", name, exitErr())
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w (last: %v)", url, ctx.Err(), last)
		case <-tick.C:
		}
	}
}
