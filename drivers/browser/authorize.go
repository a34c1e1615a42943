package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// pollInterval is how often Authorize looks at the page while it waits for a
// known state. The redirect itself is not polled: it arrives on a channel.
const pollInterval = 40 * time.Millisecond

// run is the state of one Authorize call.
type run struct {
	b         *Browser
	ctx       context.Context // the caller's
	opCtx     context.Context // tab context, ended by the caller's ctx or Close
	capt      *capture
	docs      *docResponses
	script    string
	loggedIn  bool   // the login steps ran in this call
	consented []bool // consent steps clicked in this call
	authURL   string // the authorization request of this call
	det       detectState
}

// Authorize navigates the logged-in tab to authURL, logs in (profile steps)
// if the login form shows, clicks consent if it shows, and returns what came
// back: the redirect to redirectURI (caught by Fetch interception at request
// stage — nothing listens at the redirect URI, and the browser never
// requests it), or an error page (ErrorPage set, with Status, PageURL and the
// start of the page text). It returns an error only when the target could
// not be exercised: a *LoginError when the login or consent failed or the
// page never reached a known state within Options.StepTimeout, otherwise
// the browser died, Close was called (ErrClosed) or ctx ended.
//
// A login form that shows again after the login steps in the same call is a
// *LoginError: logins are never retried (accounts lock). Calls are
// serialized; see the package doc.
func (b *Browser) Authorize(ctx context.Context, authURL, redirectURI string) (*authz.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.isClosing() {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("authorize: %w", err)
	}
	opCtx, cancel := context.WithCancel(b.tabCtx)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	capt, done := b.icpt.expect(redirectURI)
	defer done()
	r := &run{
		b: b, ctx: ctx, opCtx: opCtx, capt: capt,
		docs:      watchResponses(opCtx),
		script:    probeScript(loginTarget(b.opts), targets(b.opts.Consent)),
		consented: make([]bool, len(b.opts.Consent)),
		authURL:   authURL,
	}
	resp, err := r.authorize(authURL)
	b.markPrev = !r.captured()
	return resp, err
}

// authorize is the state machine: navigate, then race the captured redirect
// against what the page shows, until a result or the step timeout.
func (r *run) authorize(authURL string) (*authz.Response, error) {
	b := r.b
	b.opts.Logf("authorize: open %s", redactURL(authURL))
	if b.markPrev {
		// The tab shows a page from an earlier call (an error page, a login
		// failure): make sure it is never taken for this call's answer. The
		// page left by a captured redirect is harmless, and marking it costs
		// a wait for its commit.
		r.mark(markPrev)
	}
	if resp, err, ok := r.navigate(authURL); ok {
		return resp, err
	}

	timeout := b.opts.StepTimeout
	deadline := time.Now().Add(timeout)
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	var last probeResult
	var loadingSince pageLoad
	for {
		select {
		case <-r.capt.done:
			return r.redirect()
		case <-r.opCtx.Done():
			return nil, r.stopped()
		case <-b.lost:
			return nil, r.stopped()
		case <-ticker.C:
		}
		if time.Now().After(deadline) {
			return nil, r.timeout(last, timeout)
		}
		pctx, cancel := context.WithTimeout(r.opCtx, min(time.Until(deadline), time.Second))
		p, err := r.probe(pctx)
		cancel()
		if err != nil {
			continue // the document is being replaced
		}
		last = p
		if p.Prev {
			continue
		}
		if len(p.Bad) > 0 {
			return nil, r.fail(&LoginError{Kind: KindPage, Selector: p.Bad[0], Where: b.opts.ProfilePath, URL: redactURL(p.URL),
				Err: fmt.Errorf("invalid CSS selector %q", p.Bad[0])})
		}
		if strings.HasPrefix(p.URL, "chrome-error:") {
			return r.chromeErrorPage(p)
		}
		if !settled(p, &loadingSince) {
			continue
		}
		switch {
		case p.Login && p.LoginDoc:
			// Still the page the login was submitted from; wait for it to go.
			continue
		case p.Login:
			if r.loggedIn {
				return nil, r.fail(&LoginError{Kind: KindPage, Selector: firstSelector(b.opts), Where: b.opts.ProfilePath, URL: redactURL(p.URL),
					Err: errors.New("login did not succeed: the login form showed again after the login steps (not retried)")})
			}
			if err := r.login(p); err != nil {
				return nil, err
			}
			deadline = time.Now().Add(timeout)
			continue
		}
		if i := r.pendingConsent(p); i >= 0 {
			if err := r.consent(i, p); err != nil {
				return nil, err
			}
			deadline = time.Now().Add(timeout)
			continue
		}
		errorPage := p.Status >= 400 && p.Ready == "complete" && !anyVisible(p)
		if b.opts.Detect != nil {
			// No step fits the page: read it and act as a user would.
			handled, acted, err := r.detect(p, errorPage)
			if err != nil {
				return nil, err
			}
			if acted {
				deadline = time.Now().Add(timeout)
			}
			if handled {
				continue
			}
		}
		if errorPage {
			b.opts.Logf("authorize: error page, HTTP %d at %s", p.Status, redactURL(p.URL))
			return &authz.Response{ErrorPage: true, Status: p.Status, PageURL: p.URL, Body: excerpt(p.Text)}, nil
		}
	}
}

// navigate sends the tab to authURL. ok reports that the call is over (with
// resp or err); otherwise the state machine takes over.
func (r *run) navigate(authURL string) (resp *authz.Response, err error, ok bool) {
	ctx, cancel := context.WithTimeout(r.opCtx, r.b.opts.StepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: authURL})
	switch {
	case err != nil && r.captured():
		resp, err := r.redirect()
		return resp, err, true
	case err != nil && r.opCtx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		return nil, r.fail(&LoginError{Kind: KindPage, Where: r.b.opts.ProfilePath, URL: redactURL(authURL),
			Err: fmt.Errorf("the authorization endpoint did not answer within %v", r.b.opts.StepTimeout)}), true
	case err != nil && (r.opCtx.Err() != nil || r.b.isClosing()):
		// Close kills Chromium before it cancels the tab: the lost
		// connection may arrive first.
		return nil, r.stopped(), true
	case err != nil:
		return nil, fmt.Errorf("navigate to %s: %w", redactURL(authURL), err), true
	case res.ErrorText != "":
		// A 4xx with an empty body also ends here: Chromium shows its own
		// error page. The state machine reads the status from the network.
		if strings.Contains(res.ErrorText, "ERR_HTTP_RESPONSE_CODE_FAILURE") {
			return nil, nil, false
		}
		select {
		case <-r.capt.done:
			resp, err := r.redirect()
			return resp, err, true
		case <-time.After(200 * time.Millisecond):
		}
		return nil, fmt.Errorf("navigate to %s: %s", redactURL(authURL), res.ErrorText), true
	}
	return nil, nil, false
}

// captured reports whether the redirect has been caught.
func (r *run) captured() bool {
	select {
	case <-r.capt.done:
		return true
	default:
		return false
	}
}

// redirect parses the captured redirect.
func (r *run) redirect() (*authz.Response, error) {
	parse := authz.ParseRedirect
	if r.capt.post {
		parse = func(target string) (*authz.Response, error) { return authz.ParseFormPost(target, r.capt.body) }
	}
	resp, err := parse(r.capt.url)
	if err != nil {
		return nil, fmt.Errorf("captured redirect to %s: %w", redactURL(r.capt.url), err)
	}
	r.b.opts.Logf("authorize: redirect captured: %s", redactURL(r.capt.url))
	return resp, nil
}

// chromeErrorPage handles Chromium's own error page: after an HTTP error
// without a body it is the error page the server sent; otherwise the
// network failed and the target could not be exercised.
func (r *run) chromeErrorPage(p probeResult) (*authz.Response, error) {
	status, u, next := r.docs.last()
	if status < 400 {
		// The response event may still be on its way.
		select {
		case <-next:
			status, u, _ = r.docs.last()
		case <-time.After(500 * time.Millisecond):
		}
	}
	if status >= 400 {
		r.b.opts.Logf("authorize: error page, HTTP %d (empty body) at %s", status, redactURL(u))
		return &authz.Response{ErrorPage: true, Status: status, PageURL: u}, nil
	}
	return nil, fmt.Errorf("authorize: the page failed to load (Chromium shows its error page; last document %s)", redactURL(u))
}

// stopped explains why the call cannot go on: Close, the browser's death or
// the caller's ctx.
func (r *run) stopped() error {
	switch {
	case r.b.isClosing():
		return ErrClosed
	case r.ctx.Err() != nil:
		return fmt.Errorf("authorize: %w", r.ctx.Err())
	default:
		return errors.New("authorize: chromium exited or the tab closed")
	}
}

// timeout is the LoginError for a page that never reached a known state.
func (r *run) timeout(last probeResult, d time.Duration) error {
	b := r.b
	var waited []string
	waited = append(waited, "the redirect to "+redactURL(r.capt.redirectURI))
	if sel := firstSelector(b.opts); sel != "" && !r.loggedIn {
		waited = append(waited, fmt.Sprintf("login form %q", sel))
	}
	for i, s := range b.opts.Consent {
		if !r.consented[i] {
			waited = append(waited, fmt.Sprintf("consent %q", s.Selector()))
		}
	}
	if b.opts.Detect != nil {
		waited = append(waited, "a login or consent page detection can act on")
	}
	waited = append(waited, "an HTTP error page")
	err := fmt.Errorf("page did not reach a known state within %v (waited for %s)", d, strings.Join(waited, ", "))
	if r.det.seenWhy != "" {
		err = fmt.Errorf("%w; detection: %s", err, r.det.seenWhy)
	}
	if last.Login && r.loggedIn {
		err = fmt.Errorf("login did not succeed: the login form still shows %v after the login steps", d)
	}
	u := last.URL
	if u == "" {
		u = r.location()
	}
	return r.fail(&LoginError{Kind: KindPage, Selector: firstSelector(b.opts), Where: b.opts.ProfilePath, URL: redactURL(u), Page: r.det.seen, Err: err})
}

// pendingConsent returns the index of a visible consent step not yet
// clicked in this call, or -1.
func (r *run) pendingConsent(p probeResult) int {
	for i, v := range p.Consent {
		if v && i < len(r.consented) && !r.consented[i] {
			return i
		}
	}
	return -1
}

// anyVisible reports whether a login or consent selector shows.
func anyVisible(p probeResult) bool {
	if p.Login {
		return true
	}
	for _, v := range p.Consent {
		if v {
			return true
		}
	}
	return false
}

// loginStep is the step whose element showing means "the login form
// shows": the first step that is not optional (optional steps before it,
// such as a cookie banner, may never show). ok is false without steps.
func loginStep(o Options) (s profiles.Step, ok bool) {
	for _, s := range o.Login {
		if !s.IsOptional() {
			return s, true
		}
	}
	if len(o.Login) > 0 {
		return o.Login[0], true
	}
	return profiles.Step{}, false
}

// firstSelector is the selector of loginStep, or "".
func firstSelector(o Options) string {
	if s, ok := loginStep(o); ok {
		return s.Selector()
	}
	return ""
}

// loginTarget is what the probe looks for to tell that the login form
// shows (nil without login steps).
func loginTarget(o Options) *probeTarget {
	if s, ok := loginStep(o); ok {
		t := targetOf(s)
		return &t
	}
	return nil
}

// targets lists what the probe looks for, one per step.
func targets(steps []profiles.Step) []probeTarget {
	out := make([]probeTarget, len(steps))
	for i, s := range steps {
		out[i] = targetOf(s)
	}
	return out
}

// settleGrace bounds how long the steps wait for a page that never finishes
// loading (a hanging image or script), once its document is parsed.
const settleGrace = 1500 * time.Millisecond

// pageLoad remembers since when the current document has been parsed but not
// finished loading.
type pageLoad struct {
	url   string
	since time.Time
}

// settled reports whether the steps may act on the page: once it has
// finished loading (readyState "complete"), or has been parsed for
// settleGrace. Acting earlier loses races: at DOMContentLoaded Chromium's DOM
// agent sends documentUpdated again, which invalidates the node IDs chromedp
// holds ("No node with given id found"), and stylesheets still loading move
// elements after a click's coordinates were taken. Seen against Dex, which
// shows its login and approval pages for every code: 2-15 of 100
// authorizations failed before, 0 of 200 after.
func settled(p probeResult, l *pageLoad) bool {
	switch p.Ready {
	case "complete":
		return true
	case "interactive":
		if l.url != p.URL || l.since.IsZero() {
			*l = pageLoad{url: p.URL, since: time.Now()}
		}
		return time.Since(l.since) >= settleGrace
	default:
		*l = pageLoad{}
		return false
	}
}
