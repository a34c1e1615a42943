package results

import "strings"

// FirstLine is s trimmed and cut at its first newline: what a result's
// message (or an error) quotes of a longer text, such as a spec's failure
// message or an error page.
func FirstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
