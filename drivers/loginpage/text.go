package loginpage

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// collapse trims s and folds every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// bound cuts s to at most n bytes, on a rune boundary.
func bound(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
