package session

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/drivers/httpauthz"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// lazyBrowser is Chromium started on first need (Options.HTTPFirst): the
// HTTP side answers what it can, the login included, and the browser
// starts only for a page that needs it. Until then it has no cookies.
type lazyBrowser struct {
	ctx  context.Context
	opts browser.Options

	mu sync.Mutex
	h  *browserHandle // nil until started
}

// get starts the browser if it has not started, and returns it.
func (l *lazyBrowser) get() (*browser.Browser, error) {
	l.mu.Lock()
	if l.h == nil {
		l.h = startBrowser(l.ctx, l.opts)
	}
	h := l.h
	l.mu.Unlock()
	b, err := h.wait()
	if err != nil {
		return nil, fmt.Errorf("start Chromium: %w", err)
	}
	return b, nil
}

// started returns the browser if it has started (nil otherwise).
func (l *lazyBrowser) started() *browser.Browser {
	l.mu.Lock()
	h := l.h
	l.mu.Unlock()
	if h == nil {
		return nil
	}
	b, _ := h.wait()
	return b
}

func (l *lazyBrowser) Authorize(ctx context.Context, authURL, redirectURI string) (*authz.Response, error) {
	b, err := l.get()
	if err != nil {
		return nil, err
	}
	return b.Authorize(ctx, authURL, redirectURI)
}

// Cookies are the browser's, none before it started.
func (l *lazyBrowser) Cookies(ctx context.Context) ([]*http.Cookie, error) {
	if b := l.started(); b != nil {
		return b.Cookies(ctx)
	}
	return nil, nil
}

func (l *lazyBrowser) SetCookies(ctx context.Context, u *url.URL, cookies []*http.Cookie) error {
	b, err := l.get()
	if err != nil {
		return err
	}
	return b.SetCookies(ctx, u, cookies)
}

func (l *lazyBrowser) close() {
	l.mu.Lock()
	h := l.h
	l.mu.Unlock()
	if h != nil {
		h.close()
	}
}

// openHTTPFirst is Open under Options.HTTPFirst: the warm-up login and every
// code go through the HTTP side, the browser starting only when a page
// needs it.
func openHTTPFirst(ctx context.Context, s *Session, opts Options, bopts browser.Options, logf func(string, ...any)) (*Session, error) {
	lazy := &lazyBrowser{ctx: ctx, opts: bopts}
	s.close = lazy.close
	s.stopWatch = context.AfterFunc(ctx, lazy.close)
	s.lazy = lazy
	fail := func(err error) (*Session, error) {
		s.Close()
		return nil, &TargetError{err}
	}
	if err := s.resolve(ctx, logf); err != nil {
		return fail(err)
	}
	p := s.Profile
	hosts := []string{s.Endpoints.Authorization}
	if iss := s.Issuer(); iss != "" {
		hosts = append(hosts, iss)
	}
	a, err := httpauthz.New(httpauthz.Options{
		HTTP: s.HTTP(), Browser: lazy, Hosts: hosts,
		Logf:  func(format string, args ...any) { logf("%s", s.Redactor.String(fmt.Sprintf(format, args...))) },
		Login: p.Login.Steps, Consent: p.Login.Consent, ProfilePath: p.Path, ArtifactDir: opts.OutDir,
		Detect:  s.detection(),
		InScope: func(u *url.URL) error { return s.hc.CheckScope(u.String()) },
	})
	if err != nil {
		return fail(err)
	}
	s.fast, s.Authorizer = a, a
	logf("logging in at %s over HTTP (a valid S256 request for client %q; Chromium starts only if a page needs it)", s.Endpoints.Authorization, p.Clients.Public.ID)
	if err := warmUp(ctx, s, a); err != nil {
		return fail(err)
	}
	s.CodesMinted = 1
	logf("logged in")
	return s, nil
}
