package repro

import "strings"

// Quote quotes s as one word for a POSIX shell: single quotes, with each
// single quote written as '\”. The empty string is ”.
func Quote(s string) string {
	if s != "" && strings.Trim(s, safeChars) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeChars need no quoting in a shell word.
const safeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._/:,+@%="

// comment turns text into shell comment lines, each starting with prefix
// ("# " or "#   "); control characters are shown escaped so that nothing in
// the text can end the comment.
func comment(prefix, text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString(strings.TrimRight(prefix+printable(line), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// printable escapes control characters (a carriage return would hide the
// rest of a comment line in a terminal).
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// dquote escapes s for the inside of a double-quoted shell word.
func dquote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return r.Replace(s)
}
