package httpauthz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

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

// walk runs one authorization over HTTP. It returns the answer, or else
// why the browser must answer, or an error that ends the authorization.
func (a *Authorizer) walk(ctx context.Context, authURL, redirectURI string) (*authz.Response, string, error) {
	cur, err := url.Parse(authURL)
	if err != nil {
		return nil, "the authorization URL does not parse", nil
	}
	for hops := 0; ; hops++ {
		if !a.hosts.allows(cur) {
			return nil, fmt.Sprintf("redirect to %s, which is not a host of the profile's issuer or endpoints", where(cur)), nil
		}
		resp, body, err := a.get(ctx, cur)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, httpclient.ErrRequestBudget) || errors.Is(err, httpclient.ErrRateLimited) {
				return nil, "", fmt.Errorf("authorize at %s: %w", where(cur), err)
			}
			return nil, fmt.Sprintf("GET %s failed: %v", where(cur), err), nil
		}
		switch {
		case isRedirect(resp.StatusCode):
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
			if hops >= a.opts.MaxRedirects {
				return nil, fmt.Sprintf("more than %d redirects", a.opts.MaxRedirects), nil
			}
			cur = next
		case resp.StatusCode >= 400:
			if interactive(body) {
				return nil, fmt.Sprintf("HTTP %d page with a form or script at %s", resp.StatusCode, where(cur)), nil
			}
			return &authz.Response{
				ErrorPage: true, Status: resp.StatusCode, PageURL: cur.String(),
				Body: excerpt(pageText(resp.Header.Get("Content-Type"), body)),
			}, "", nil
		default:
			return nil, fmt.Sprintf("HTTP %d page at %s (a login form, consent or script)", resp.StatusCode, where(cur)), nil
		}
	}
}

// get sends one GET with the session's cookies and reads the body of an
// error page. The cookies the response sets are remembered for the browser.
func (a *Authorizer) get(ctx context.Context, u *url.URL) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("build request: %w", err)
	}
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
	if resp.StatusCode >= 400 {
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
