package httpclient

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrOutOfScope is returned (wrapped) for a request to a host outside
// Options.AllowedHosts. Such a request is not sent, not counted and takes
// nothing of the budget.
var ErrOutOfScope = errors.New("host outside the target's scope")

// hostSet is a list of allowed host names; "*.example.com" allows every
// host below example.com. An empty set allows every host.
type hostSet []string

// newHostSet normalizes hosts: lower case, no brackets around IPv6
// addresses, no trailing dot.
func newHostSet(hosts []string) hostSet {
	var s hostSet
	for _, h := range hosts {
		if h = normalizeHost(h); h != "" {
			s = append(s, h)
		}
	}
	return s
}

func normalizeHost(h string) string {
	h = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(h), "["), "]")
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// allows reports whether host (without port) is in the set.
func (s hostSet) allows(host string) bool {
	host = normalizeHost(host)
	for _, h := range s {
		if h == host {
			return true
		}
		if suffix, ok := strings.CutPrefix(h, "*"); ok && strings.HasPrefix(suffix, ".") &&
			len(host) > len(suffix) && strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}

// check returns a wrapped ErrOutOfScope when u's host is not allowed.
func (s hostSet) check(u *url.URL) error {
	if len(s) == 0 || s.allows(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: %q is not one of %s (add it to scope.hosts in the profile if it belongs to the provider); not sent",
		ErrOutOfScope, u.Hostname(), strings.Join(s, ", "))
}

// CheckScope returns a wrapped ErrOutOfScope when the client would refuse
// to send a request to rawURL, and an error for a URL without a host.
func (c *Client) CheckScope(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("check scope of %q: %w", rawURL, err)
	}
	if u.Host == "" {
		return fmt.Errorf("check scope of %q: no host", rawURL)
	}
	return c.t.scope.check(u)
}
