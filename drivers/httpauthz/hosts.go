package httpauthz

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// hostSet is the set of hosts (name and port) the HTTP side may request.
type hostSet map[string]bool

// newHostSet takes the hosts of absolute http(s) URLs.
func newHostSet(urls []string) (hostSet, error) {
	s := hostSet{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || !isHTTP(u) {
			return nil, fmt.Errorf("host %q is not an absolute http(s) URL", raw)
		}
		s[hostKey(u)] = true
	}
	if len(s) == 0 {
		return nil, errors.New("no hosts given (want the issuer and the authorization endpoint)")
	}
	return s, nil
}

// allows reports whether u may be requested.
func (s hostSet) allows(u *url.URL) bool {
	return isHTTP(u) && s[hostKey(u)]
}

// cookieFor reports whether a cookie stored for domain (Chromium's form:
// a leading dot for a domain cookie) would be sent to an allowed host.
func (s hostSet) cookieFor(domain string) bool {
	d := strings.ToLower(domain)
	hostOnly := !strings.HasPrefix(d, ".")
	d = strings.TrimPrefix(d, ".")
	for k := range s {
		host, _, _ := net.SplitHostPort(k)
		if host == d || (!hostOnly && strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}

// hostKey is u's lower-case host name with its port (the scheme's default
// when none is given).
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func isHTTP(u *url.URL) bool {
	s := strings.ToLower(u.Scheme)
	return (s == "http" || s == "https") && u.Host != ""
}
