package authz

import (
	"net/url"
	"strings"
)

// MatchesRedirectCanonical is MatchesRedirect after normalizing both URLs
// the way a browser does before it requests them (CanonicalURL): the
// drivers compare what the browser, or plain HTTP, was sent to with the
// client's registered redirect_uri.
func MatchesRedirectCanonical(location, redirectURI string) bool {
	return MatchesRedirect(CanonicalURL(location), CanonicalURL(redirectURI))
}

// CanonicalURL normalizes raw as Chromium does what it requests: scheme
// and host in lower case, no default port, "/" for an empty path. A URL
// that does not parse is returned as it is.
func CanonicalURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	if u.Path == "" && u.Opaque == "" {
		u.Path = "/"
	}
	return u.String()
}
