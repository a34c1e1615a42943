package browser

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// Cookies returns every cookie in the browser's jar (the logged-in session
// lives there), so another HTTP client can continue the session. Domain is
// as Chromium stores it: with a leading dot for a domain cookie, without
// one for a host-only cookie. Session cookies have a zero Expires. Values
// that Chromium stores in double quotes come back unquoted, with Quoted set.
// It waits for a running Authorize to return.
func (b *Browser) Cookies(ctx context.Context) ([]*http.Cookie, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ctx, cancel, err := b.housekeeping(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the browser's cookies: %w", err)
	}
	defer cancel()
	res, err := chromedp.Call(ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		return nil, fmt.Errorf("read the browser's cookies: %w", err)
	}
	out := make([]*http.Cookie, 0, len(res.Cookies))
	for _, c := range res.Cookies {
		out = append(out, fromCDP(c))
	}
	return out, nil
}

// SetCookies stores cookies in the browser's jar as if the response to u
// had set them with Set-Cookie (as http.Response.Cookies parses them): a
// cookie without Domain is host-only for u's host, one without Path gets
// the default path of u, and a cookie that is expired (MaxAge < 0 or an
// Expires in the past) deletes the stored one. It waits for a running
// Authorize to return.
func (b *Browser) SetCookies(ctx context.Context, u *url.URL, cookies []*http.Cookie) error {
	if len(cookies) == 0 {
		return nil
	}
	if u == nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("set cookies in the browser: %q is not an absolute http(s) URL", redactURL(u.String()))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ctx, cancel, err := b.housekeeping(ctx)
	if err != nil {
		return fmt.Errorf("set cookies in the browser: %w", err)
	}
	defer cancel()
	now := time.Now()
	origin := (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
	var set []*network.CookieParam
	for _, c := range cookies {
		p := c.Path
		if !strings.HasPrefix(p, "/") {
			p = defaultPath(u.Path)
		}
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.MaxAge == 0 && c.Expires.Before(now)) {
			del := network.DeleteCookiesParams{Name: c.Name, Path: p}
			if c.Domain != "" {
				del.Domain = "." + strings.TrimPrefix(c.Domain, ".")
			} else {
				del.Domain = u.Hostname()
			}
			if _, err := chromedp.Call(ctx, network.DeleteCookies, del); err != nil {
				return fmt.Errorf("delete cookie %q in the browser: %w", c.Name, err)
			}
			continue
		}
		value := c.Value
		if c.Quoted {
			value = `"` + value + `"`
		}
		cp := &network.CookieParam{
			Name: c.Name, Value: value, URL: origin + p, Domain: c.Domain, Path: p,
			Secure: c.Secure, HTTPOnly: c.HttpOnly, SameSite: sameSiteToCDP(c.SameSite),
		}
		switch {
		case c.MaxAge > 0:
			cp.Expires = epoch(now.Add(time.Duration(c.MaxAge) * time.Second))
		case !c.Expires.IsZero():
			cp.Expires = epoch(c.Expires)
		}
		set = append(set, cp)
	}
	if len(set) == 0 {
		return nil
	}
	if _, err := chromedp.Call(ctx, network.SetCookies, network.SetCookiesParams{Cookies: set}); err != nil {
		return fmt.Errorf("set cookies in the browser: %w", err)
	}
	return nil
}

// UserAgent returns the User-Agent header the browser sends, so another
// HTTP client continuing its session can look the same to the server.
func (b *Browser) UserAgent(ctx context.Context) (string, error) {
	ctx, cancel, err := b.housekeeping(ctx)
	if err != nil {
		return "", fmt.Errorf("read the browser's user agent: %w", err)
	}
	defer cancel()
	v, err := chromedp.Call(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return "", fmt.Errorf("read the browser's user agent: %w", err)
	}
	return v.UserAgent, nil
}

// housekeeping derives a context for a short CDP command on the tab: ended
// by ctx, by Close and after cdpTimeout.
func (b *Browser) housekeeping(ctx context.Context) (context.Context, context.CancelFunc, error) {
	if b.isClosing() {
		return nil, nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	opCtx, cancel := context.WithTimeout(b.tabCtx, cdpTimeout)
	stop := context.AfterFunc(ctx, cancel)
	return opCtx, func() { stop(); cancel() }, nil
}

// epoch is t in CDP's seconds since the Unix epoch.
func epoch(t time.Time) cdp.TimeSinceEpoch {
	return cdp.TimeSinceEpoch(float64(t.UnixNano()) / 1e9)
}

// fromCDP converts a cookie as Chromium reports it.
func fromCDP(c *network.Cookie) *http.Cookie {
	hc := &http.Cookie{
		Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		Secure: c.Secure, HttpOnly: c.HTTPOnly, SameSite: sameSiteFromCDP(c.SameSite),
	}
	if len(hc.Value) >= 2 && strings.HasPrefix(hc.Value, `"`) && strings.HasSuffix(hc.Value, `"`) {
		hc.Value, hc.Quoted = hc.Value[1:len(hc.Value)-1], true
	}
	if !c.Session && c.Expires > 0 && !math.IsInf(c.Expires, 0) {
		sec, frac := math.Modf(c.Expires)
		hc.Expires = time.Unix(int64(sec), int64(frac*1e9))
	}
	return hc
}

func sameSiteFromCDP(s network.CookieSameSite) http.SameSite {
	switch s {
	case network.CookieSameSiteStrict:
		return http.SameSiteStrictMode
	case network.CookieSameSiteLax:
		return http.SameSiteLaxMode
	case network.CookieSameSiteNone:
		return http.SameSiteNoneMode
	}
	return http.SameSiteDefaultMode
}

func sameSiteToCDP(s http.SameSite) network.CookieSameSite {
	switch s {
	case http.SameSiteStrictMode:
		return network.CookieSameSiteStrict
	case http.SameSiteLaxMode:
		return network.CookieSameSiteLax
	case http.SameSiteNoneMode:
		return network.CookieSameSiteNone
	}
	return ""
}

// defaultPath is a cookie's default path for a request path (RFC 6265
// §5.1.4): the directory of the path, or "/".
func defaultPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.Count(p, "/") == 1 {
		return "/"
	}
	return path.Dir(p)
}
