package reports

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// printable makes s safe to show in any report: invalid UTF-8 and the
// characters XML 1.0 forbids (even escaped) become U+FFFD, other control
// characters become their visible Control Pictures (U+2400 block: NUL is
// "␀", ESC "␛", DEL "␡") so that evidence still shows they were there.
// Tab, newline and carriage return are kept.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !keep(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case keep(r):
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return 0x2421
		}
		return '\uFFFD'
	}, s)
}

// keep reports whether r may appear as is: printable in a report and
// allowed in XML 1.0 (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]), leaving out C1 controls as well.
func keep(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return false
	case r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff, r > unicode.MaxRune:
		return false
	}
	return true
}

// oneLine makes s a single printable line of at most max runes: runs of
// whitespace (newlines included) become one space, and a cut is marked "…".
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(printable(s)), " ")
	return truncate(s, max)
}

// truncate cuts s to at most max runes, marking a cut with "…".
func truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return strings.TrimRight(string(runes[:max-1]), " ") + "…"
}

// capText bounds a long text (a response body) to max bytes on a rune
// boundary, saying how much was left out.
func capText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "\n… (" + strconv.Itoa(len(s)-cut) + " more bytes left out of the report)"
}
