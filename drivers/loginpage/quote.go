package loginpage

import (
	"regexp"
	"strings"
)

// plainIdent matches identifiers that need no escaping after # in CSS.
var plainIdent = regexp.MustCompile(`^-?[A-Za-z_][A-Za-z0-9_-]*$`)

// idSelector is "#id" for a plain identifier, else `[id="..."]`.
func idSelector(id string) string {
	if plainIdent.MatchString(id) {
		return "#" + id
	}
	return "[id=" + quote(id) + "]"
}

// quote is s as a CSS string in double quotes: backslash and quote escaped,
// line breaks and other control characters as hex escapes.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\` + strings.ToLower(strconvHex(r)) + " ")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func strconvHex(r rune) string {
	const digits = "0123456789abcdef"
	if r < 16 {
		return string(digits[r])
	}
	return string(digits[r>>4]) + string(digits[r&15])
}
