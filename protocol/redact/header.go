package redact

import (
	"net/http"
	"sort"
	"strings"
)

// headerSecrets are the headers whose values are masked by name.
var headerSecrets = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// authSchemes are the authentication schemes kept in front of the mask
// ("Basic [REDACTED]"): which scheme was used is evidence, the credentials
// are not.
var authSchemes = map[string]bool{
	"basic": true, "bearer": true, "dpop": true, "digest": true, "negotiate": true,
}

// Header renders h as one "Name: value" line per value, sorted by name (names
// as they are spelled in h; sorting and matching are case-insensitive), with
// the values of Authorization, Proxy-Authorization, Cookie and Set-Cookie
// replaced by Mask (a known authentication scheme such as Basic or Bearer is
// kept in front of it), and every known secret masked. Lines are joined by
// "\n" without a trailing newline.
func (r *Redactor) Header(h http.Header) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		ci, cj := http.CanonicalHeaderKey(names[i]), http.CanonicalHeaderKey(names[j])
		if ci != cj {
			return ci < cj
		}
		return names[i] < names[j]
	})
	var lines []string
	for _, k := range names {
		canon := http.CanonicalHeaderKey(k)
		for _, v := range h[k] {
			if headerSecrets[canon] {
				v = maskCredentials(canon, v)
			}
			lines = append(lines, k+": "+v)
		}
	}
	return r.String(strings.Join(lines, "\n"))
}

// maskCredentials masks a credential header value, keeping a known scheme.
func maskCredentials(name, v string) string {
	if name == "Authorization" || name == "Proxy-Authorization" {
		scheme, _, ok := strings.Cut(strings.TrimSpace(v), " ")
		if ok && authSchemes[strings.ToLower(scheme)] {
			return scheme + " " + Mask
		}
	}
	return Mask
}
