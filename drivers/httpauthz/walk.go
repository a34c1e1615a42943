package httpauthz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// maxPage bounds how much of a page is read.
const maxPage = 256 << 10

// Headers a browser navigation sends that servers may look at.
const (
	acceptHTML     = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	acceptLanguage = "en-US,en;q=0.9"
)

// walk runs one authorization over HTTP: it follows the server's
// redirects, and on a server-rendered login or consent page replays the
// profile's steps (see flow). It returns the answer, or else why the
// browser must answer, or an error that ends the authorization (a
// *browser.LoginError when the login failed: never retried).
func (a *Authorizer) walk(ctx context.Context, authURL, redirectURI string) (*authz.Response, string, error) {
	cur, err := url.Parse(authURL)
	if err != nil {
		return nil, "the authorization URL does not parse", nil
	}
	f := &flow{a: a, consented: make([]bool, len(a.consent.steps)), creds: a.creds(authURL)}
	req := &submission{method: http.MethodGet, url: cur}
	// Every page a step submits may redirect again: bound the requests.
	maxRequests := a.opts.MaxRedirects + 2*(len(a.login.steps)+len(a.consent.steps)) + 1
	if a.opts.Detect != nil {
		maxRequests += 2 * detectPages(a.opts.Detect)
	}
	redirects := 0
	for sent := 0; ; sent++ {
		cur = req.url
		if sent >= maxRequests {
			return nil, fmt.Sprintf("more than %d requests in one authorization", maxRequests), nil
		}
		if reason := a.refuse(cur); reason != "" {
			return nil, reason, nil
		}
		resp, body, err := a.send(ctx, req)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, httpclient.ErrRequestBudget) || errors.Is(err, httpclient.ErrRateLimited) {
				return nil, "", fmt.Errorf("authorize at %s: %w", where(cur), err)
			}
			return nil, fmt.Sprintf("%s %s failed: %v", req.method, where(cur), err), nil
		}
		if isRedirect(resp.StatusCode) {
			loc := resp.Header.Get("Location")
			if loc == "" {
				return nil, fmt.Sprintf("HTTP %d without Location at %s", resp.StatusCode, where(cur)), nil
			}
			next, err := cur.Parse(loc)
			if err != nil {
				return nil, fmt.Sprintf("unparsable Location from %s", where(cur)), nil
			}
			if authz.MatchesRedirectCanonical(next.String(), redirectURI) {
				// The answer for the client: parsed, never requested.
				r, err := authz.ParseRedirect(next.String())
				if err != nil {
					return nil, "the redirect to the client does not parse", nil
				}
				return r, "", nil
			}
			if redirects++; redirects > a.opts.MaxRedirects {
				return nil, fmt.Sprintf("more than %d redirects", a.opts.MaxRedirects), nil
			}
			req = req.follow(resp.StatusCode, next)
			continue
		}
		if resp.StatusCode < 300 {
			if r := formPostResponse(body, cur, redirectURI); r != nil {
				return r, "", nil // a form_post response: read, never posted
			}
		}
		sub, r, reason, err := f.onPage(resp, body, cur)
		switch {
		case err != nil || r != nil || reason != "":
			return r, reason, err
		case sub == nil:
			return nil, fmt.Sprintf("HTTP %d page at %s (a login form, consent or script)", resp.StatusCode, where(cur)), nil
		}
		req = sub
	}
}

// follow is the request a redirect with status leads to: 307 and 308 send
// the same method and body again, the others a GET.
func (s *submission) follow(status int, next *url.URL) *submission {
	if status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect {
		c := *s
		c.url = next
		return &c
	}
	return &submission{method: http.MethodGet, url: next, from: s.from}
}

// setOrigin sets the Origin (of a POST) and Referer headers a browser
// sends with a form submission from s.from, which servers check against
// cross-site request forgery: the full page URL within its origin, the
// origin alone across origins.
func setOrigin(h http.Header, s *submission) {
	if s.from == nil {
		return
	}
	origin := (&url.URL{Scheme: s.from.Scheme, Host: s.from.Host}).String()
	if s.method == http.MethodPost {
		h.Set("Origin", origin)
	}
	if strings.EqualFold(s.from.Scheme, s.url.Scheme) && strings.EqualFold(s.from.Host, s.url.Host) {
		ref := *s.from
		ref.Fragment = ""
		h.Set("Referer", ref.String())
	} else {
		h.Set("Referer", origin+"/")
	}
}

// refuse says why u must not be requested over HTTP, or "".
func (a *Authorizer) refuse(u *url.URL) string {
	if a.hosts.allows(u) {
		return ""
	}
	if !isHTTP(u) {
		return fmt.Sprintf("redirect to a %s: URL", u.Scheme)
	}
	if a.opts.InScope == nil {
		return fmt.Sprintf("redirect to %s, which is not a host of the profile's issuer or endpoints", where(u))
	}
	if err := a.opts.InScope(u); err != nil {
		return fmt.Sprintf("redirect to %s, outside the profile's scope (the issuer's host, the endpoints' hosts and scope.hosts): "+
			"add %s to scope.hosts to let plain HTTP follow it (a login page on another host, for instance)", where(u), u.Hostname())
	}
	return ""
}

// send sends one request with the session's cookies and reads the body of
// any page that is not a redirect. The cookies the response sets are
// remembered for the browser.
func (a *Authorizer) send(ctx context.Context, s *submission) (*http.Response, []byte, error) {
	var rd io.Reader
	if s.body != nil {
		rd = bytes.NewReader(s.body)
	}
	req, err := http.NewRequestWithContext(ctx, s.method, s.url.String(), rd)
	if err != nil {
		return nil, nil, fmt.Errorf("build request: %w", err)
	}
	if s.body != nil {
		req.Header.Set("Content-Type", s.contentType)
	}
	setOrigin(req.Header, s)
	req.Header.Set("Accept", acceptHTML)
	req.Header.Set("Accept-Language", acceptLanguage)
	if a.opts.UserAgent != "" {
		req.Header.Set("User-Agent", a.opts.UserAgent)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL: its query is not for logs
		}
		return nil, nil, err
	}
	defer resp.Body.Close()
	a.pending.add(resp)
	var body []byte
	if !isRedirect(resp.StatusCode) {
		if body, err = io.ReadAll(io.LimitReader(resp.Body, maxPage)); err != nil {
			return nil, nil, fmt.Errorf("read the page: %w", err)
		}
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxPage)) // lets the connection be reused
	}
	return resp, body, nil
}

// isRedirect reports the statuses a browser follows with Location.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// interactive reports whether an error page has a form or a script: the
// browser must look at it (it may be a login form, which the browser logs
// in on, not an error).
func interactive(body []byte) bool {
	b := bytes.ToLower(body)
	return bytes.Contains(b, []byte("<form")) || bytes.Contains(b, []byte("<script"))
}

// where is scheme, host and path of u: safe for logs (no query).
func where(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
