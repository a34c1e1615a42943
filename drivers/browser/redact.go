package browser

import (
	"net/url"
	"strings"
)

// redacted replaces values that may be secret (codes, tokens, state) in URLs.
const redacted = "REDACTED"

// redactURL returns raw with every query value, the fragment and any
// user info replaced by "REDACTED", keeping the parameter names and their
// order, so a URL can appear in logs and errors.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=" + redacted
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if u.Fragment != "" || u.RawFragment != "" {
		u.Fragment, u.RawFragment = redacted, ""
	}
	return u.String()
}
