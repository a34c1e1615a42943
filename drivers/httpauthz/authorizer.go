package httpauthz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// DefaultMaxRedirects bounds the redirects one authorization follows when
// Options.MaxRedirects is zero.
const DefaultMaxRedirects = 10

// Back-off for servers that show a page on every authorization (consent
// each time, for instance): after backoffAfter authorizations in a row
// went to the browser, the next ones go there directly, without an HTTP
// attempt first: 1, 2, 4, ... up to maxSkip of them, then HTTP is tried
// again.
const (
	backoffAfter = 3
	maxSkip      = 16
)

// Browser is the user agent that holds the logged-in session
// (drivers/browser.Browser implements it): it answers what plain HTTP
// cannot, and its cookies are the session's.
type Browser interface {
	authz.Authorizer
	Cookies(ctx context.Context) ([]*http.Cookie, error)
	SetCookies(ctx context.Context, u *url.URL, cookies []*http.Cookie) error
}

// Options configure an Authorizer.
type Options struct {
	// HTTP sends the requests: the protocol client of internal/httpclient,
	// so they are counted, rate-limited and budgeted. Its Transport and
	// Timeout are used; the Authorizer's copy has its own Jar and never
	// follows a redirect by itself.
	HTTP *http.Client
	// Browser logged in to the target; required.
	Browser Browser
	// Hosts are URLs (the issuer, the authorization endpoint) whose hosts
	// the HTTP requests may go to; at least one. A redirect elsewhere is
	// left to the browser, and only cookies for these hosts are copied.
	Hosts []string
	// UserAgent is sent with every request ("" sends Go's default).
	UserAgent string
	// MaxRedirects bounds the redirects of one authorization; beyond it the
	// browser takes over. Zero means DefaultMaxRedirects.
	MaxRedirects int
	// Logf, when set, receives one line per authorization that went to the
	// browser, with the reason. It never receives codes, cookies or
	// query values.
	Logf func(format string, args ...any)

	// Login and Consent are the profile's steps (as the browser runs
	// them). On a server-rendered page they are replayed over HTTP: the
	// named inputs filled, the form of the clicked button submitted with
	// its hidden fields. A step that needs JavaScript (a frame, a text to
	// click, an element no form holds or the page does not have) leaves
	// the authorization to the browser. Without steps, every page goes to
	// the browser.
	Login, Consent []profiles.Step
	// ProfilePath names the profile in login errors; ArtifactDir, when
	// set, receives the page of a failed login (login-failure-<n>.html).
	ProfilePath, ArtifactDir string
	// Detect, when set, finds the way through server-rendered pages no
	// step fits, as the browser does (browser.Detection): the page is read
	// with drivers/loginpage and the planned steps replayed like the
	// profile's; a plan that needs a script leaves the authorization to
	// the browser.
	Detect *browser.Detection
	// InScope, when set, widens Hosts: a URL it accepts (the target's
	// scope: the issuer's host, the endpoints' hosts, scope.hosts) may be
	// requested too, and the browser's cookies for its host are used. A
	// login page on a host outside both goes to the browser, and the
	// reason says to add it to scope.hosts.
	InScope func(*url.URL) error
}

// Stats count where authorizations were answered.
type Stats struct {
	HTTP    int // answered by plain HTTP requests
	Browser int // handed to the browser (Skipped included)
	// Logins counts the logins replayed over HTTP (the browser counts its
	// own): one per authorization that submitted a login form.
	Logins int
	// Skipped went to the browser without an HTTP attempt (back-off).
	Skipped int
	// FirstBrowserReason says why the first authorization handed to the
	// browser went there (no query values).
	FirstBrowserReason string
}

// Authorizer answers authorization requests with plain HTTP where it can
// and with the browser where it must. Calls are serialized.
type Authorizer struct {
	opts    Options
	hosts   hostSet
	login   stepSet
	consent stepSet

	mu      sync.Mutex
	client  *http.Client // opts.HTTP with jar, set by load
	jar     *sessionJar  // nil until loaded from the browser
	pending setCookies   // cookies the server set since the last sync
	stats   Stats
	steps   browser.StepLog // the steps replayed, for the report
	misses  int             // authorizations in a row the HTTP side handed to the browser
	skip    int             // authorizations left that go to the browser directly
	// failed is the login failure of an earlier authorization: no login
	// is tried again (accounts lock), every later call returns it.
	failed error
}

// New checks opts and returns an Authorizer. The cookies are read from the
// browser on the first Authorize call, after the browser logged in.
func New(opts Options) (*Authorizer, error) {
	if opts.HTTP == nil {
		return nil, errors.New("httpauthz: Options.HTTP is required")
	}
	if opts.Browser == nil {
		return nil, errors.New("httpauthz: Options.Browser is required")
	}
	hosts, err := newHostSet(opts.Hosts)
	if err != nil {
		return nil, fmt.Errorf("httpauthz: %w", err)
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	return &Authorizer{opts: opts, hosts: hosts, login: compileSteps(opts.Login), consent: compileSteps(opts.Consent)}, nil
}

// Authorize sends authURL with the session's cookies and follows the
// server's redirects (only to the allowed hosts) until the redirect to
// redirectURI, which it parses without requesting it. A page that is not a
// redirect and not an error page, a redirect to another host or a failed
// request hands the authorization to the browser, which starts it again.
// It returns an error only when the target could not be exercised: the
// browser's error, ctx ended, the request budget is spent or the server
// kept answering 429.
func (a *Authorizer) Authorize(ctx context.Context, authURL, redirectURI string) (*authz.Response, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failed != nil {
		return nil, fmt.Errorf("not authorizing: an earlier login failed and logins are never retried: %w", a.failed)
	}
	if a.skip > 0 {
		a.skip--
		a.stats.Skipped++
		return a.viaBrowser(ctx, authURL, redirectURI, fmt.Sprintf("the last %d authorizations needed the browser", a.misses))
	}
	if a.jar == nil {
		if err := a.load(ctx); err != nil {
			return a.viaBrowser(ctx, authURL, redirectURI, fmt.Sprintf("the browser's cookies could not be read: %v", err))
		}
	}
	resp, reason, err := a.walk(ctx, authURL, redirectURI)
	var le *browser.LoginError
	switch {
	case errors.As(err, &le):
		a.failed = err
		return nil, err
	case err != nil:
		return nil, err
	case resp != nil:
		a.stats.HTTP++
		a.misses = 0
		return resp, nil
	}
	a.misses++
	if a.misses >= backoffAfter {
		a.skip = min(1<<min(a.misses-backoffAfter, 8), maxSkip)
	}
	return a.viaBrowser(ctx, authURL, redirectURI, reason)
}

// UsedSteps returns the distinct login and consent steps replayed over
// HTTP so far (given by the profile or detected).
func (a *Authorizer) UsedSteps() []browser.UsedStep { return a.steps.List() }

// detectPages is how many pages detection acts on at most in one
// authorization.
func detectPages(d *browser.Detection) int {
	if d.MaxPages > 0 {
		return d.MaxPages
	}
	return browser.DefaultMaxPages
}

// Stats returns where the authorizations so far were answered.
func (a *Authorizer) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats
}

// viaBrowser hands one authorization to the browser, for reason, with the
// cookies the server set on the HTTP side.
func (a *Authorizer) viaBrowser(ctx context.Context, authURL, redirectURI, reason string) (*authz.Response, error) {
	a.opts.Logf("authorize: the browser answers: %s", reason)
	a.stats.Browser++
	if a.stats.FirstBrowserReason == "" {
		a.stats.FirstBrowserReason = reason
	}
	if err := a.pending.push(ctx, a.opts.Browser); err != nil {
		// The browser goes on with its own cookies; at worst it logs in
		// again, which the login count shows.
		a.opts.Logf("authorize: %v", err)
	}
	// The browser's cookies are the session's now: read them again before
	// the next HTTP attempt.
	a.jar = nil
	return a.opts.Browser.Authorize(ctx, authURL, redirectURI)
}

// load replaces the jar with the browser's cookies for the allowed hosts.
// On failure the jar stays unloaded.
func (a *Authorizer) load(ctx context.Context) error {
	a.jar = nil
	a.pending = nil
	cookies, err := a.opts.Browser.Cookies(ctx)
	if err != nil {
		return err
	}
	jar, err := newJar(cookies, a.cookieFor)
	if err != nil {
		return err
	}
	c := *a.opts.HTTP
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	a.client = &c
	a.jar = &jar
	return nil
}

// cookieFor reports whether a browser cookie stored for domain (Chromium's
// form) may be sent by the HTTP side: for an allowed host, or a host in
// the target's scope.
func (a *Authorizer) cookieFor(domain string) bool {
	if a.hosts.cookieFor(domain) {
		return true
	}
	if a.opts.InScope == nil {
		return false
	}
	host := strings.TrimPrefix(domain, ".")
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host != "" && a.opts.InScope(&url.URL{Scheme: "http", Host: host}) == nil
}
