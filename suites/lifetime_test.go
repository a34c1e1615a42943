package suites

import "testing"

// TestWithDefaultLabels: rfc6749.code-lifetime is left out unless the
// filter names it.
func TestWithDefaultLabels(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "!rfc6749.code-lifetime"},
		{"rfc6749.code-race", "(rfc6749.code-race) && !rfc6749.code-lifetime"},
		{"rfc6749.code-lifetime", "rfc6749.code-lifetime"},
		{"rfc6749.code-lifetime || rfc6749.code-race", "rfc6749.code-lifetime || rfc6749.code-race"},
		{"!rfc6749.code-lifetime", "!rfc6749.code-lifetime"},
	}
	for _, tt := range tests {
		if got := withDefaultLabels(tt.in); got != tt.want {
			t.Errorf("withDefaultLabels(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
