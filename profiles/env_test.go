package profiles

import (
	"slices"
	"testing"
)

func TestExpand(t *testing.T) {
	env := envOf(map[string]string{"A": "alpha", "EMPTY": "", "B_2": "beta"})
	tests := []struct {
		in, want string
		fromEnv  []string
		err      string
	}{
		{in: "plain", want: "plain"},
		{in: "${A}", want: "alpha", fromEnv: []string{"alpha"}},
		{in: "x-${A}-${B_2}", want: "x-alpha-beta", fromEnv: []string{"alpha", "beta"}},
		{in: "$$", want: "$"},
		{in: "$${A}", want: "${A}"},
		{in: "$$$${A}", want: "$${A}"},
		{in: "[name$=user] costs $5 $", want: "[name$=user] costs $5 $"},
		{in: "${UNSET:-fallback}", want: "fallback"},
		{in: "${EMPTY:-fallback}", want: "fallback"},
		{in: "${A:-fallback}", want: "alpha", fromEnv: []string{"alpha"}},
		{in: "${UNSET:-}", want: ""},
		{in: "${EMPTY}", want: ""},
		{in: "${UNSET}", err: "environment variable UNSET is not set"},
		{in: "${A", err: "unterminated ${ (write $$ for a literal $)"},
		{in: "${}", err: "invalid variable reference ${}; use ${NAME} or ${NAME:-default} (write $$ for a literal $)"},
		{in: "${A-x}", err: "invalid variable reference ${A-x}; use ${NAME} or ${NAME:-default} (write $$ for a literal $)"},
	}
	for _, tt := range tests {
		x, err := expand(tt.in, env)
		switch {
		case tt.err != "":
			if err == nil || err.msg != tt.err {
				t.Errorf("expand(%q) error = %v, want %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("expand(%q) error = %q", tt.in, err.msg)
		case x.value != tt.want || !slices.Equal(x.fromEnv, tt.fromEnv):
			t.Errorf("expand(%q) = %q from %q, want %q from %q", tt.in, x.value, x.fromEnv, tt.want, tt.fromEnv)
		}
	}
}
