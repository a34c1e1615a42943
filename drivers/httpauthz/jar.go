package httpauthz

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// sessionJar is a cookie jar that, like Chromium, also sends cookies
// marked Secure to loopback hosts over plain http (localhost is a
// potentially trustworthy origin; Keycloak in development mode, for one,
// sets its session cookie Secure on http://localhost).
type sessionJar struct{ *cookiejar.Jar }

// SetCookies implements http.CookieJar.
func (j sessionJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	if strings.EqualFold(u.Scheme, "http") && isLoopback(u.Hostname()) {
		insecure := make([]*http.Cookie, len(cookies))
		for i, c := range cookies {
			cc := *c
			cc.Secure = false
			insecure[i] = &cc
		}
		cookies = insecure
	}
	j.Jar.SetCookies(u, cookies)
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// newJar is a cookie jar holding the browser's cookies for the allowed
// hosts (keep says which). Domain is in Chromium's form (see browser.Cookies): a leading dot
// marks a domain cookie, anything else is host-only.
func newJar(cookies []*http.Cookie, keep func(domain string) bool) (sessionJar, error) {
	cj, err := cookiejar.New(nil)
	if err != nil {
		return sessionJar{}, fmt.Errorf("make a cookie jar: %w", err)
	}
	jar := sessionJar{cj}
	for _, c := range cookies {
		if c.Domain == "" || !keep(c.Domain) {
			continue
		}
		host := strings.TrimPrefix(c.Domain, ".")
		loopback := isLoopback(host)
		if strings.Contains(host, ":") {
			host = "[" + host + "]" // IPv6 literal
		}
		hc := *c
		if !strings.HasPrefix(c.Domain, ".") {
			hc.Domain = "" // host-only
		}
		if !strings.HasPrefix(hc.Path, "/") {
			hc.Path = "/"
		}
		scheme := "http"
		if c.Secure && !loopback {
			scheme = "https"
		}
		jar.SetCookies(&url.URL{Scheme: scheme, Host: host, Path: hc.Path}, []*http.Cookie{&hc})
	}
	return jar, nil
}

// setCookies are the Set-Cookie headers the server sent to the HTTP side
// since the jar was loaded from the browser, in order, with the URL each
// came from: what the browser has not seen.
type setCookies []setCookie

type setCookie struct {
	url     *url.URL
	cookies []*http.Cookie
}

// add remembers the cookies resp set.
func (s *setCookies) add(resp *http.Response) {
	if cs := resp.Cookies(); len(cs) > 0 {
		*s = append(*s, setCookie{url: resp.Request.URL, cookies: cs})
	}
}

// push hands the cookies to the browser, in the order the server set them,
// and forgets them.
func (s *setCookies) push(ctx context.Context, b Browser) error {
	all := *s
	*s = nil
	for _, sc := range all {
		if err := b.SetCookies(ctx, sc.url, sc.cookies); err != nil {
			return err
		}
	}
	return nil
}
