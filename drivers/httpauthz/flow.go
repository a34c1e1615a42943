package httpauthz

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// stepSet is the profile's login or consent steps with their selectors
// compiled for plain HTTP. sels[i] is nil when step i needs the browser:
// it acts inside a frame, finds its element by text, or its selector is
// beyond the selector library (the browser then reports it if invalid).
type stepSet struct {
	steps []profiles.Step
	sels  []cascadia.Matcher
	// target is the selector whose match means "the login form shows"
	// (the first step that is not optional, as for the browser); nil when
	// it cannot be looked for over HTTP.
	target cascadia.Matcher
}

func compileSteps(steps []profiles.Step) stepSet {
	s := stepSet{steps: steps, sels: make([]cascadia.Matcher, len(steps))}
	for i, st := range steps {
		if st.Frame != "" || st.Kind() == profiles.KindClickText {
			continue
		}
		if sel, err := cascadia.Compile(st.Selector()); err == nil {
			s.sels[i] = sel
		}
	}
	if i := s.targetStep(); i >= 0 {
		s.target = s.sels[i]
	}
	return s
}

// targetStep is the index of the first step that is not optional, else 0,
// or -1 without steps.
func (s stepSet) targetStep() int {
	for i, st := range s.steps {
		if !st.IsOptional() {
			return i
		}
	}
	if len(s.steps) > 0 {
		return 0
	}
	return -1
}

// submitStep is the index of the step that submits the login: the last
// one that acts and is not optional (as drivers/browser counts it).
func (s stepSet) submitStep() int {
	for i := len(s.steps) - 1; i > 0; i-- {
		if s.steps[i].Kind() != profiles.KindWait && !s.steps[i].IsOptional() {
			return i
		}
	}
	return 0
}

// flow is the state of one authorization walked over HTTP: where the
// login steps are, whether the login was submitted, which consent steps
// ran. Like the browser, it runs the login at most once per authorization
// and each consent step at most once.
type flow struct {
	a         *Authorizer
	inLogin   bool // some login steps ran; the rest apply to the next pages
	next      int  // the next login step
	counted   bool // this login is counted in Stats.Logins
	loggedIn  bool // the submitting login step ran
	consented []bool
	// creds and det are detection's: what it may type, and the pages it
	// acted on in this authorization.
	creds loginpage.Creds
	det   browser.DetectFlow
}

// onPage decides what a page that is not a redirect means: the next
// request (a form the steps submitted), an answer (an error page), a
// reason to hand the authorization to the browser, or a login failure.
func (f *flow) onPage(resp *http.Response, body []byte, u *url.URL) (*submission, *authz.Response, string, error) {
	ct := resp.Header.Get("Content-Type")
	var p *page
	if isHTML(ct, body) {
		p, _ = parsePage(u, body) // an unparsable page is left to the browser
	}
	if p != nil {
		sub, reason, err, handled := f.steps(p, body)
		if handled {
			return sub, nil, reason, err
		}
		if f.a.opts.Detect != nil {
			// No step of the profile fits the page: read it and act as a
			// user would.
			if sub, reason, err, handled := f.detect(p, body, resp.StatusCode >= 400); handled {
				return sub, nil, reason, err
			}
		}
	}
	if resp.StatusCode >= 400 {
		if interactive(body) {
			return nil, nil, fmt.Sprintf("HTTP %d page with a form or script at %s", resp.StatusCode, where(u)), nil
		}
		return nil, &authz.Response{
			ErrorPage: true, Status: resp.StatusCode, PageURL: u.String(),
			Body: excerpt(pageText(ct, body)),
		}, "", nil
	}
	if p == nil {
		return nil, nil, fmt.Sprintf("HTTP %d %s page at %s", resp.StatusCode, orNone(ct), where(u)), nil
	}
	what := "no login or consent element of the profile"
	if f.a.opts.Detect != nil {
		what += " and no form detection can act on"
	}
	if p.scripted() {
		what += "; it has scripts, which may build them"
	}
	return nil, nil, fmt.Sprintf("HTTP %d page at %s with %s", resp.StatusCode, where(u), what), nil
}

// steps runs the profile's login or consent steps that apply to p.
// handled is false when none does.
func (f *flow) steps(p *page, body []byte) (sub *submission, reason string, err error, handled bool) {
	a := f.a
	loginShows := a.login.target != nil && p.find(a.login.target) != nil
	if loginShows && f.loggedIn {
		return nil, "", f.failed(p, body, "the login form showed again after the login steps (not retried)"), true
	}
	if f.inLogin || loginShows {
		if !f.inLogin {
			f.inLogin, f.next = true, 0
		}
		if sub, reason, err, handled = f.runLogin(p); handled {
			return sub, reason, err, true
		}
	}
	if sub, reason, err, handled = f.runConsent(p); handled {
		return sub, reason, err, true
	}
	if f.loggedIn && f.loginStepShows(p) {
		return nil, "", f.failed(p, body, "a login page showed again after the login steps (not retried)"), true
	}
	return nil, "", nil, false
}

// runLogin runs the login steps from f.next on p, up to the click that
// submits the page. Once they ran out (the steps left were optional and
// absent), the page is the one after the login: handled is false.
func (f *flow) runLogin(p *page) (*submission, string, error, bool) {
	a := f.a
	ls := a.login
	for ; f.next < len(ls.steps); f.next++ {
		s := ls.steps[f.next]
		sel := ls.sels[f.next]
		if sel == nil && s.IsOptional() {
			// An optional step (a cookie banner in a frame, say) is not
			// needed to submit the form: plain HTTP goes without it.
			continue
		}
		if sel == nil {
			return nil, fmt.Sprintf("login step %d (%s) needs the browser (a frame, a text to click or a selector beyond plain HTTP)", f.next+1, s.Kind()), nil, true
		}
		n := p.find(sel)
		if n == nil {
			if s.IsOptional() {
				continue
			}
			return nil, fmt.Sprintf("login step %d: %s %q matches nothing in the page at %s (built by a script?)", f.next+1, s.Kind(), s.Selector(), where(p.url)), nil, true
		}
		sub, err := f.act(p, n, s)
		if err != nil {
			var nb *needsBrowser
			if errors.As(err, &nb) && s.IsOptional() {
				// A button only a script handles (a cookie banner): plain
				// HTTP goes without it. A later step's element that the
				// script would have shown is missing then, and that step
				// leaves the authorization to the browser.
				a.opts.Logf("authorize: optional login step %d skipped over HTTP: %s", f.next+1, nb.reason)
				continue
			}
			if errors.As(err, &nb) {
				return nil, fmt.Sprintf("login step %d (%s %q): %s", f.next+1, s.Kind(), s.Selector(), nb.reason), nil, true
			}
			return nil, "", err, true
		}
		a.steps.Add(browser.GivenStep("login", s, a.opts.ProfilePath))
		if f.next >= ls.submitStep() {
			f.loggedIn = true
		}
		if sub != nil {
			f.next++
			if !f.counted {
				f.counted = true
				a.stats.Logins++
				a.opts.Logf("authorize: login over HTTP at %s", where(p.url))
			}
			if f.next == len(ls.steps) {
				f.inLogin = false
			}
			return sub, "", nil, true
		}
	}
	f.inLogin = false
	if !f.counted {
		// The steps ended without a click: nothing was sent.
		return nil, "the login steps end without a click that submits a form", nil, true
	}
	f.loggedIn = true
	return nil, "", nil, false
}

// runConsent runs the consent steps whose element shows on p and that did
// not run yet in this authorization, in order, up to the click that
// submits.
func (f *flow) runConsent(p *page) (*submission, string, error, bool) {
	a := f.a
	ran := false
	for i, s := range a.consent.steps {
		sel := a.consent.sels[i]
		if f.consented[i] || sel == nil {
			continue
		}
		n := p.find(sel)
		if n == nil {
			continue
		}
		f.consented[i], ran = true, true
		sub, err := f.act(p, n, s)
		if err != nil {
			var nb *needsBrowser
			if errors.As(err, &nb) {
				return nil, fmt.Sprintf("consent step %d (%s %q): %s", i+1, s.Kind(), s.Selector(), nb.reason), nil, true
			}
			return nil, "", err, true
		}
		a.steps.Add(browser.GivenStep("consent", s, a.opts.ProfilePath))
		if sub != nil {
			a.opts.Logf("authorize: consent over HTTP at %s", where(p.url))
			return sub, "", nil, true
		}
	}
	if ran {
		return nil, "the consent steps that showed end without a click that submits a form", nil, true
	}
	return nil, "", nil, false
}

// act performs step s on its element n of p: a click returns what it
// sends; the other steps change the page.
func (f *flow) act(p *page, n *html.Node, s profiles.Step) (*submission, error) {
	switch s.Kind() {
	case profiles.KindFill:
		return nil, fill(n, s.Value)
	case profiles.KindTOTP:
		if s.Secret == "" {
			return nil, browserOnly("the TOTP secret is empty")
		}
		code, err := s.TOTPCode(time.Now())
		if err != nil {
			return nil, browserOnly("the TOTP code cannot be computed: %v", err)
		}
		return nil, fill(n, code)
	case profiles.KindSelect:
		return nil, choose(n, s.Value)
	case profiles.KindClick, profiles.KindClickIfPresent:
		return p.click(n)
	case profiles.KindWait:
		return nil, nil
	}
	return nil, browserOnly("%s steps need the browser", s.Kind())
}

// loginStepShows reports whether the field of a login step that is not
// optional shows on p: after the login was submitted, the login (or its
// second page) showing again means it failed.
func (f *flow) loginStepShows(p *page) bool {
	ls := f.a.login
	for i, s := range ls.steps {
		// Only the fields: buttons ("Continue", "Next") are common to
		// many pages, consent pages too.
		switch {
		case s.IsOptional() || ls.sels[i] == nil:
			continue
		case s.Kind() != profiles.KindFill && s.Kind() != profiles.KindTOTP && s.Kind() != profiles.KindSelect:
			continue
		}
		if p.find(ls.sels[i]) != nil {
			return true
		}
	}
	return false
}

// failed is the login failure on p: the page is saved beside the
// browser's failure pages, and the error names the profile's login.
func (f *flow) failed(p *page, body []byte, why string) error {
	return f.stop(p, body, nil, errors.New("login did not succeed: "+why))
}

// stop is the LoginError that ends the login on p for err, with the page
// as detection read it (lp, nil when it was not read). Logins are never
// retried.
func (f *flow) stop(p *page, body []byte, lp *loginpage.Page, err error) error {
	a := f.a
	e := &browser.LoginError{Kind: browser.KindPage, Where: a.opts.ProfilePath, URL: where(p.url), Page: lp, Err: err}
	if i := a.login.targetStep(); i >= 0 {
		e.Selector = a.login.steps[i].Selector()
	}
	if a.opts.ArtifactDir != "" {
		path, err := a.savePage(body)
		if err != nil {
			a.opts.Logf("authorize: could not save the login failure page: %v", err)
		}
		e.HTML = path
	}
	a.opts.Logf("authorize: %v", e)
	return e
}

func orNone(ct string) string {
	if ct == "" {
		return "untyped"
	}
	return ct
}
