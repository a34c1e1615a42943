package reports

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text\twith tab\r\n", "plain text\twith tab\r\n"},
		{"nul\x00 bell\x07 esc\x1b del\x7f", "nul␀ bell␇ esc␛ del␡"},
		{"c1\u0085 here", "c1\uFFFD here"},
		{"bad utf8 \xff\xfe end", "bad utf8 \uFFFD end"},
		{"nonchar \uFFFE\uFFFF", "nonchar \uFFFD\uFFFD"},
		{"emoji 🔐 ok, ]]> and \"quotes\"", "emoji 🔐 ok, ]]> and \"quotes\""},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"a\nb\r\n\tc  d", 100, "a b c d"},
		{"  x  ", 100, "x"},
		{"abcdefghij", 5, "abcd…"},
		{"héllo wörld", 7, "héllo…"},
		{"abc", 0, "abc"},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in, tt.max); got != tt.want {
			t.Errorf("oneLine(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestCapText(t *testing.T) {
	if got := capText("short", 10); got != "short" {
		t.Errorf("capText short = %q", got)
	}
	got := capText(strings.Repeat("é", 10), 5) // 20 bytes; byte 5 is inside a rune
	if !strings.HasPrefix(got, "éé\n… (16 more bytes") {
		t.Errorf("capText = %q", got)
	}
}
