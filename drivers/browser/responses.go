package browser

import (
	"context"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// docResponses remembers the last HTTP response to a main-frame document
// request, for pages Chromium replaces with its own error page (a 4xx with
// an empty body), where the page itself cannot tell its status.
type docResponses struct {
	mu      sync.Mutex
	status  int
	url     string
	changed chan struct{} // closed and replaced on every update
}

// watchResponses follows document responses of the main frame until ctx
// ends. The subscription exists when it returns.
func watchResponses(ctx context.Context) *docResponses {
	d := &docResponses{changed: make(chan struct{})}
	var mainFrame cdp.FrameID
	if c := chromedp.FromContext(ctx); c != nil && c.Target != nil {
		mainFrame = cdp.FrameID(c.Target.TargetID)
	}
	events := chromedp.Events(ctx, network.ResponseReceived)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			if ev.Type != network.ResourceTypeDocument || ev.Response == nil {
				continue
			}
			if mainFrame != "" && ev.FrameID != mainFrame {
				continue
			}
			d.mu.Lock()
			d.status, d.url = int(ev.Response.Status), ev.Response.URL
			close(d.changed)
			d.changed = make(chan struct{})
			d.mu.Unlock()
		}
	}()
	return d
}

// last returns the latest document response and a channel closed on the
// next one.
func (d *docResponses) last() (status int, url string, next <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.status, d.url, d.changed
}
