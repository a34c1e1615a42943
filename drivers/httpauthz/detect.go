package httpauthz

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// creds are what detection may type during the authorization authURL:
// the test account and the scopes the request asks for (consent boxes to
// tick).
func (a *Authorizer) creds(authURL string) loginpage.Creds {
	d := a.opts.Detect
	if d == nil {
		return loginpage.Creds{}
	}
	c := loginpage.Creds{Username: d.Username, Password: d.Password, TOTPSecret: d.TOTPSecret}
	if u, err := url.Parse(authURL); err == nil {
		c.Scopes = strings.Fields(u.Query().Get("scope"))
	}
	return c
}

// detect acts on a server-rendered page no step of the profile fits, as
// the browser does (drivers/loginpage reads the page and plans the steps;
// they are replayed like the profile's). On an HTTP error page
// (errorPage) only a login, password or one-time-code page counts (a
// refused login some servers answer with 401). handled is false when
// detection has nothing to do on p; a page whose plan needs a script
// leaves the authorization to the browser (reason).
func (f *flow) detect(p *page, body []byte, errorPage bool) (sub *submission, reason string, err error, handled bool) {
	a := f.a
	lp, err := loginpage.FromHTML(p.url, body)
	if err != nil {
		return nil, "", nil, false
	}
	plan, err := loginpage.Detect(lp, f.creds)
	if err != nil || len(plan.Actions) == 0 || (errorPage && !browser.IsCredentialPage(plan.Kind)) {
		return nil, "", nil, false
	}
	f.det.Max = a.opts.Detect.MaxPages
	if _, err := f.det.Next(lp, plan, false, f.mask); err != nil {
		return nil, "", f.stop(p, body, lp, err), true
	}
	if err := browser.CheckHosts(a.opts.Detect.Allowed, plan, lp, p.url.String()); err != nil {
		return nil, "", f.stop(p, body, lp, err), true
	}
	// Resolve every step before acting: a step only a script can take
	// leaves the whole page to the browser.
	nodes := make([]*nodeStep, len(plan.Actions))
	for i, act := range plan.Actions {
		s := act.Step
		if s.Frame != "" || s.Kind() == profiles.KindClickText {
			return nil, fmt.Sprintf("the detected %s page needs the browser (%s)", plan.Kind, s.Kind()), nil, true
		}
		sel, err := cascadia.Compile(s.Selector())
		if err != nil {
			return nil, fmt.Sprintf("the detected step %q is beyond plain HTTP's selectors", s.Selector()), nil, true
		}
		n := p.find(sel)
		if n == nil {
			return nil, fmt.Sprintf("the detected step %q matches nothing visible over plain HTTP at %s", s.Selector(), where(p.url)), nil, true
		}
		nodes[i] = &nodeStep{n: n, act: act}
	}
	completes := f.det.Acted(lp, plan)
	for _, ns := range nodes {
		s := ns.act.Step
		sub, err := f.act(p, ns.n, s)
		if err != nil {
			var nb *needsBrowser
			if errors.As(err, &nb) {
				return nil, fmt.Sprintf("detected %s page, %s %q: %s", plan.Kind, s.Kind(), s.Selector(), nb.reason), nil, true
			}
			return nil, "", err, true
		}
		a.steps.Add(browser.DetectedStep(plan.Kind, ns.act))
		if sub != nil {
			if completes && !f.counted {
				f.counted, f.loggedIn = true, true
				a.stats.Logins++
				a.opts.Logf("authorize: detected login over HTTP at %s", where(p.url))
			}
			return sub, "", nil, true
		}
	}
	return nil, fmt.Sprintf("the steps detected on the %s page end without a click that submits a form", plan.Kind), nil, true
}

// nodeStep is a planned step with its element in the parsed page.
type nodeStep struct {
	n   *html.Node
	act loginpage.Action
}

// mask hides the account's user name and password in a page's message.
func (f *flow) mask(s string) string {
	if d := f.a.opts.Detect; d != nil {
		for _, v := range []string{d.Username, d.Password} {
			if len(v) >= 4 {
				s = strings.ReplaceAll(s, v, "***")
			}
		}
	}
	return s
}
