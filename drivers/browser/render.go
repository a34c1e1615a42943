package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Bounds of RenderPage.
const (
	// DefaultRenderWidth is the viewport width when RenderOptions.Width is 0.
	DefaultRenderWidth = 1280
	// DefaultRenderTimeout bounds loading, evaluating and capturing when
	// RenderOptions.Timeout is 0 (the browser start has its own bound).
	DefaultRenderTimeout = 30 * time.Second
	// maxRenderHeight bounds the screenshot of a very long page.
	maxRenderHeight = 20000
	minRenderHeight = 200
)

// RenderOptions say how RenderPage looks at a page.
type RenderOptions struct {
	// Width of the viewport in CSS pixels (the screenshot's width in pixels);
	// 0 = DefaultRenderWidth.
	Width int
	// Script is a JavaScript expression evaluated once the page has loaded;
	// its value, JSON-encoded, is Page.Value. "" = none.
	Script string
	// Timeout bounds loading, evaluating and capturing; 0 =
	// DefaultRenderTimeout.
	Timeout time.Duration
}

// Page is what RenderPage saw.
type Page struct {
	// PNG is a screenshot of the whole page: Width pixels wide, as tall as
	// the page (at most 20000 pixels).
	PNG []byte
	// Value is the JSON value of RenderOptions.Script; nil without one.
	Value json.RawMessage
}

// RenderPage opens url (http: or file:) in a fresh headless Chromium, as
// Start launches it with opts (ExecPath, StartTimeout; no login), waits for
// the page to load, evaluates the script and takes a screenshot of the
// whole page; the browser and its profile directory are gone when it
// returns. It is for looking at a page as a person would: pkcecheck's own
// report.html in tests, a login page while writing a profile.
func RenderPage(ctx context.Context, opts Options, url string, ro RenderOptions) (*Page, error) {
	if ro.Width <= 0 {
		ro.Width = DefaultRenderWidth
	}
	if ro.Timeout <= 0 {
		ro.Timeout = DefaultRenderTimeout
	}
	opts.Login, opts.Consent, opts.ArtifactDir = nil, nil, ""
	b, err := Start(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", url, err)
	}
	defer b.Close()

	// The tab outlives ctx: end the work when ctx ends or the time is up.
	tctx, cancel := context.WithTimeout(b.tabCtx, ro.Timeout)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	width := int64(ro.Width)
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("render %s: load: %w", url, renderErr(ctx, err))
	}
	page := &Page{}
	if ro.Script != "" {
		v, err := chromedp.Run(tctx, chromedp.Evaluate[[]byte](ro.Script))
		if err != nil {
			return nil, fmt.Errorf("render %s: evaluate the script: %w", url, renderErr(ctx, err))
		}
		page.Value = v
	}
	// Make the viewport as tall as the page, so the screenshot shows it all.
	height, err := chromedp.Run(tctx, chromedp.Evaluate[int64](
		`Math.ceil(Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0))`))
	if err != nil {
		return nil, fmt.Errorf("render %s: measure the page: %w", url, renderErr(ctx, err))
	}
	height = min(max(height, minRenderHeight), maxRenderHeight)
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(width, height)); err != nil {
		return nil, fmt.Errorf("render %s: resize: %w", url, renderErr(ctx, err))
	}
	if page.PNG, err = chromedp.Run(tctx, chromedp.CaptureScreenshot()); err != nil {
		return nil, fmt.Errorf("render %s: screenshot: %w", url, renderErr(ctx, err))
	}
	return page, nil
}

// Screenshot renders url at width CSS pixels (0 = DefaultRenderWidth) in a
// fresh headless Chromium and returns a PNG of the whole page. See
// RenderPage.
func Screenshot(ctx context.Context, opts Options, url string, width int) ([]byte, error) {
	p, err := RenderPage(ctx, opts, url, RenderOptions{Width: width})
	if err != nil {
		return nil, err
	}
	return p.PNG, nil
}

// renderErr prefers the caller's reason to stop over the tab's.
func renderErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}
