package session

import (
	"context"
	"fmt"
	"net/url"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/drivers/httpauthz"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// codeMinter composes how codes are minted once the browser has logged in:
// plain HTTP requests on the browser's session cookies first (a code costs
// one request instead of a page load; a server-rendered login or consent
// form, the profile's steps replayed on it), the browser for any
// authorization whose page needs JavaScript or leaves the target's scope. Under Options.BrowserOnly, or if the composition fails, the
// browser mints every code.
func (s *Session) codeMinter(ctx context.Context, opts Options, logf func(string, ...any)) authz.Authorizer {
	if opts.BrowserOnly {
		return s.Browser
	}
	hosts := []string{s.Endpoints.Authorization}
	if iss := s.Issuer(); iss != "" {
		hosts = append(hosts, iss)
	}
	ua, err := s.Browser.UserAgent(ctx)
	if err != nil {
		logf("%v (codes are requested with Go's user agent)", err)
	}
	verbose := func(string, ...any) {}
	if opts.Verbose {
		verbose = func(format string, args ...any) { logf(format, args...) }
	}
	p := s.Profile
	a, err := httpauthz.New(httpauthz.Options{
		HTTP: s.HTTP(), Browser: s.Browser, Hosts: hosts, UserAgent: ua,
		Logf: func(format string, args ...any) { verbose("%s", s.Redactor.String(fmt.Sprintf(format, args...))) },
		// Login and consent pages rendered by the server are answered
		// over HTTP with the profile's own steps (see httpauthz.flow).
		Login: p.Login.Steps, Consent: p.Login.Consent, ProfilePath: p.Path, ArtifactDir: opts.OutDir,
		Detect:  s.detection(),
		InScope: func(u *url.URL) error { return s.hc.CheckScope(u.String()) },
	})
	if err != nil {
		logf("codes are minted in the browser only: %v", err)
		return s.Browser
	}
	s.fast = a
	return a
}

// Logins counts the logins of the session: the browser's and those the
// HTTP side replayed.
func (s *Session) Logins() int {
	n := 0
	if b := s.browser(); b != nil {
		n = b.Logins()
	}
	if s.fast != nil {
		n += s.fast.Stats().Logins
	}
	return n
}

// logMinting says where the authorizations of the specs were answered.
func (s *Session) logMinting(opts Options) {
	if opts.Log == nil || s.fast == nil {
		return
	}
	st := s.fast.Stats()
	browserLogins := 0
	if b := s.browser(); b != nil {
		browserLogins = b.Logins()
	}
	line := fmt.Sprintf("authorizations: %d over HTTP, %d in the browser; logins: %d over HTTP, %d in the browser", st.HTTP, st.Browser, st.Logins, browserLogins)
	if st.FirstBrowserReason != "" {
		line += " (first because of: " + s.Redactor.String(st.FirstBrowserReason) + ")"
	}
	fmt.Fprintln(opts.Log, line)
}

// browser is the session's Chromium: nil under HTTPFirst until a page
// needed it.
func (s *Session) browser() *browser.Browser {
	if s.lazy != nil {
		return s.lazy.started()
	}
	return s.Browser
}
