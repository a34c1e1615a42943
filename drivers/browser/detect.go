package browser

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
)

// Detection lets the browser find its own way through the login and
// consent pages that no step of Options.Login or Options.Consent fits: each
// such page is read (loginpage.SnapshotJS, in the top document and in each
// visible iframe), loginpage.Detect plans the steps a user would take, and
// the steps run as profile steps do. The profile's steps win wherever their
// element shows.
type Detection struct {
	// Username, Password and TOTPSecret are the test account (secrets:
	// never logged, masked in saved pages).
	Username, Password, TOTPSecret string
	// Allowed reports whether credentials may be typed into a page at u:
	// nil for the issuer's host, the profile's endpoints' hosts and
	// scope.hosts. Required. A page elsewhere stops the login before
	// anything is typed.
	Allowed func(u *url.URL) error
	// MaxPages bounds the pages one authorization acts on (0:
	// DefaultMaxPages).
	MaxPages int
}

// DefaultMaxPages bounds the pages detection acts on in one authorization.
const DefaultMaxPages = 12

// detectEvery spaces the snapshots of a page nothing fits yet (a script may
// still be building it): a snapshot reads every control of the page.
const detectEvery = 150 * time.Millisecond

// detectState is what one Authorize call remembers of detection.
type detectState struct {
	flow    DetectFlow
	at      time.Time // the last snapshot
	seen    *loginpage.Page
	seenWhy string
}

// detect reads the page when nothing else fits it, and acts on what
// loginpage.Detect plans. On an HTTP error page (errorPage) only a login,
// password or one-time-code page counts (a refused login some servers
// answer with 401), not a link or button an error page offers. handled
// reports that the page is one detection acts on or waits for (the state
// machine then looks again), acted that steps ran; err ends the call.
func (r *run) detect(p probeResult, errorPage bool) (handled, acted bool, err error) {
	d := r.b.opts.Detect
	st := &r.det
	if !errorPage && time.Since(st.at) < detectEvery {
		return false, false, nil
	}
	st.at = time.Now()
	page, plan, ok := r.plan()
	if !ok || (errorPage && !IsCredentialPage(plan.Kind)) {
		return false, false, nil
	}
	st.flow.Max = d.MaxPages
	wait, err := st.flow.Next(page, plan, p.DetectDoc, r.b.maskFillValues)
	switch {
	case err != nil:
		return false, false, r.fail(&LoginError{Kind: KindPage, Where: r.b.opts.ProfilePath, URL: redactURL(page.URL), Page: page, Err: err})
	case wait:
		return true, false, nil
	}
	urls := []string{page.URL}
	if page.Frame != "" {
		urls = append(urls, r.location())
	}
	if err := CheckHosts(d.Allowed, plan, page, urls...); err != nil {
		return false, false, r.fail(&LoginError{Kind: KindPage, Where: r.b.opts.ProfilePath, URL: redactURL(page.URL), Page: page, Err: err})
	}
	completes := st.flow.Acted(page, plan)
	r.mark(markDetectDoc)
	r.b.opts.Logf("authorize: detected a %s page at %s%s", plan.Kind, redactURL(page.URL), inFrame(page.Frame))
	for i, a := range plan.Actions {
		s := a.Step
		r.b.opts.Logf("authorize: detected step %d: %s (%s)", i+1, describeStep(s), a.Why)
		r.b.steps.Add(DetectedStep(plan.Kind, a))
		if _, err := r.runStep(s, nil); err != nil {
			if r.captured() {
				return true, true, nil
			}
			if r.opCtx.Err() != nil {
				return false, false, r.stopped()
			}
			return false, false, r.fail(&LoginError{Step: i + 1, Kind: s.Kind(), Selector: s.Selector(), Frame: s.Frame,
				Where: fmt.Sprintf("detected on the %s page (%s)", plan.Kind, a.Why), URL: redactURL(r.location()), Page: page, Err: r.stepErr(err)})
		}
	}
	if completes {
		r.loggedIn = true
		r.b.logins.Add(1)
	}
	return true, true, nil
}

// plan snapshots the top document and its visible iframes and returns the
// first page Detect plans steps for (the top document first). ok is false
// when no page fits (yet) or the document is being replaced.
func (r *run) plan() (*loginpage.Page, loginpage.Plan, bool) {
	ctx, cancel := context.WithTimeout(r.opCtx, min(r.b.opts.StepTimeout, 2*time.Second))
	defer cancel()
	top, err := r.snapshot(ctx, "")
	if err != nil {
		return nil, loginpage.Plan{}, false
	}
	creds := r.creds()
	pages := []*loginpage.Page{top}
	for _, f := range top.Frames {
		fp, err := r.snapshot(ctx, f)
		if err != nil {
			r.b.opts.Logf("authorize: frame %q could not be read: %v", f, err)
			continue
		}
		pages = append(pages, fp)
	}
	var why []string
	for _, pg := range pages {
		plan, err := loginpage.Detect(pg, creds)
		if err == nil && len(plan.Actions) > 0 {
			return pg, plan, true
		}
		var nf *loginpage.NotFound
		if errors.As(err, &nf) {
			why = append(why, nf.Reason+inFrame(pg.Frame))
		}
	}
	r.det.seen, r.det.seenWhy = top, strings.Join(why, "; ")
	return nil, loginpage.Plan{}, false
}

// snapshot reads the Page of the top document (frame "") or of the iframe
// frame.
func (r *run) snapshot(ctx context.Context, frame string) (*loginpage.Page, error) {
	var raw string
	if frame == "" {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](loginpage.SnapshotJS))
		if err != nil {
			return nil, err
		}
		raw = s
	} else {
		fn := "function () { return (" + loginpage.SnapshotJS + "); }"
		err := r.inScope(ctx, frame, func(opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
			return chromedp.QueryAfter(chromedp.CSS("html"), func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
				s, err := callOnNode[string](ctx, t, nodes[0].NodeID, fn)
				raw = s
				return chromedp.Void{}, err
			}, opts...)
		})
		if err != nil {
			return nil, err
		}
	}
	pg, err := loginpage.FromJSON([]byte(raw))
	if err != nil {
		return nil, err
	}
	pg.Frame = frame
	return pg, nil
}

// creds are what Detect may type on this call's pages: the test account
// and the scopes the authorization request asks for (consent boxes to
// tick).
func (r *run) creds() loginpage.Creds {
	d := r.b.opts.Detect
	c := loginpage.Creds{Username: d.Username, Password: d.Password, TOTPSecret: d.TOTPSecret}
	if u, err := url.Parse(r.authURL); err == nil {
		c.Scopes = strings.Fields(u.Query().Get("scope"))
	}
	return c
}
