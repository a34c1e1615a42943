package refidp

import (
	"fmt"
	"net/url"
	"strings"
)

// duplicates is how repeated parameters are treated.
type duplicates int

const (
	duplicatesRefused duplicates = iota // invalid_request (RFC 6749 §3.1, §3.2)
	duplicatesFirst                     // the first value wins (a flaw)
	duplicatesLast                      // the last value wins (a flaw)
)

// duplicates is the server's treatment of repeated parameters.
func (s *Server) duplicates() duplicates {
	switch {
	case s.has(flawDuplicateParamsFirstWin):
		return duplicatesFirst
	case s.has(flawDuplicateParamsLastWin):
		return duplicatesLast
	}
	return duplicatesRefused
}

// singleValues turns parsed parameters into one value per name. A repeated
// parameter is an error naming it, unless a duplicate-params flaw keeps its
// first or last value.
func singleValues(vals url.Values, d duplicates) (map[string]string, error) {
	out := make(map[string]string, len(vals))
	for name, vs := range vals {
		switch {
		case len(vs) > 1 && d == duplicatesRefused:
			return nil, fmt.Errorf("parameter %s is repeated", name)
		case d == duplicatesLast:
			out[name] = vs[len(vs)-1]
		default:
			out[name] = vs[0]
		}
	}
	return out, nil
}

// firstValue returns the first value of name and whether it is repeated.
func firstValue(vals url.Values, name string) (string, bool) {
	vs := vals[name]
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], len(vs) > 1
}

// addQuery appends parameters to a URL, keeping the ones it already has.
func addQuery(base string, params [][2]string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for _, p := range params {
		if p[1] != "" {
			q.Add(p[0], p[1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// withoutQuery is u without its query (the error-redirect-drops-query flaw).
func withoutQuery(u string) string {
	base, _, _ := strings.Cut(u, "?")
	return base
}

// legalText replaces every character that RFC 6749 §5.2 does not allow in
// error and error_description (%x20-21 / %x23-5B / %x5D-7E) with '?'.
func legalText(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c == '"' || c == '\\' || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}
