package browser

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// capturedPage answers the intercepted redirect in place of the client.
const capturedPage = `<!doctype html><meta charset="utf-8"><title>pkcecheck</title><p>pkcecheck captured the redirect.</p>`

// interceptor pauses every document request of the tab (Fetch domain,
// request stage) and answers the ones that go to a redirect URI itself, so
// they never reach the network; all others continue unchanged.
type interceptor struct {
	mu   sync.Mutex
	cur  *capture            // the running Authorize's redirect, nil between calls
	seen map[string]struct{} // every redirect URI ever expected: always answered locally
}

// capture is one expected redirect. done is closed once the redirect was
// seen; url (with the fragment, if any), and for a form_post response
// (a POST to the redirect URI) its body, are set before that.
type capture struct {
	redirectURI string
	url         string
	post        bool
	body        string
	done        chan struct{}
}

func newInterceptor() *interceptor {
	return &interceptor{seen: map[string]struct{}{}}
}

// start subscribes to paused requests and enables interception. The handler
// goroutine runs until the tab ends.
func (i *interceptor) start(tabCtx context.Context) error {
	events := chromedp.Events(tabCtx, fetch.RequestPaused) // subscribes now
	ctx, cancel := context.WithTimeout(tabCtx, cdpTimeout)
	defer cancel()
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{
		URLPattern:   "*",
		ResourceType: network.ResourceTypeDocument,
		RequestStage: fetch.RequestStageRequest,
	}}})
	if err != nil {
		return err
	}
	go func() {
		// Events hands the events over on this goroutine, so sending commands
		// here is allowed (unlike inside a Listen callback).
		for ev, err := range events {
			if err != nil {
				return
			}
			i.handle(tabCtx, ev)
		}
	}()
	return nil
}

// expect makes the next redirect to redirectURI be captured; the returned
// func ends the expectation.
func (i *interceptor) expect(redirectURI string) (*capture, func()) {
	c := &capture{redirectURI: redirectURI, done: make(chan struct{})}
	i.mu.Lock()
	i.cur = c
	i.seen[redirectURI] = struct{}{}
	i.mu.Unlock()
	return c, func() {
		i.mu.Lock()
		if i.cur == c {
			i.cur = nil
		}
		i.mu.Unlock()
	}
}

// handle answers one paused request.
func (i *interceptor) handle(tabCtx context.Context, ev fetch.EventRequestPaused) {
	u := ""
	if ev.Request != nil {
		u = ev.Request.URL
		if ev.Request.URLFragment != "" {
			u += ev.Request.URLFragment
		}
	}
	i.mu.Lock()
	c := i.cur
	if c != nil && (!authz.MatchesRedirectCanonical(u, c.redirectURI) || isDone(c)) {
		c = nil
	}
	local := c != nil
	if !local {
		for r := range i.seen {
			if authz.MatchesRedirectCanonical(u, r) {
				local = true
				break
			}
		}
	}
	i.mu.Unlock()

	ctx, cancel := context.WithTimeout(tabCtx, cdpTimeout)
	defer cancel()
	if !local {
		_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		return
	}
	_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
		RequestID:    ev.RequestID,
		ResponseCode: 200,
		ResponseHeaders: []*fetch.HeaderEntry{
			{Name: "Content-Type", Value: "text/html; charset=utf-8"},
			{Name: "Cache-Control", Value: "no-store"},
		},
		Body: []byte(capturedPage),
	})
	if c != nil {
		c.url = u
		if ev.Request != nil && ev.Request.Method == http.MethodPost {
			c.post = true
			c.body = postData(tabCtx, ev)
		}
		close(c.done)
	}
}

// postData is the body of a paused POST: from the event's entries, or asked
// of the Network domain when Chromium left a long body out of the event.
func postData(tabCtx context.Context, ev fetch.EventRequestPaused) string {
	var b strings.Builder
	for _, e := range ev.Request.PostDataEntries {
		if e != nil {
			b.Write(e.Bytes)
		}
	}
	if b.Len() > 0 || !ev.Request.HasPostData || ev.NetworkID == "" {
		return b.String()
	}
	ctx, cancel := context.WithTimeout(tabCtx, cdpTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetRequestPostData, network.GetRequestPostDataParams{RequestID: ev.NetworkID})
	if err != nil {
		return ""
	}
	return string(res.PostData)
}

// isDone reports whether the capture already happened (caller holds i.mu or
// owns c).
func isDone(c *capture) bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}
