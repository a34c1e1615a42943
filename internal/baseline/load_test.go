package baseline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadValid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.yaml")
	data := `# known problems of the staging server
waivers:
  - {id: rfc7636.verifier-length, reason: "upstream issue 123", expires: 2027-03-31}
  - id: rfc6749.no-store
    reason: "  proxy strips Cache-Control; ticket OPS-9  "
    expires: "2026-01-01"
  - {id: rfc6749.duplicate-params, reason: accepted risk}
`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []Waiver{
		{ID: "rfc7636.verifier-length", Reason: "upstream issue 123", Expires: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), Line: 3},
		{ID: "rfc6749.no-store", Reason: "proxy strips Cache-Control; ticket OPS-9", Expires: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Line: 4},
		{ID: "rfc6749.duplicate-params", Reason: "accepted risk", Line: 7},
	}
	if b.Path != path || len(b.Waivers) != len(want) {
		t.Fatalf("got %+v", b)
	}
	for i, w := range want {
		if got := b.Waivers[i]; got != w {
			t.Errorf("waiver %d = %+v, want %+v", i, got, w)
		}
	}
	if got := b.Waivers[0].ExpiresString(); got != "2027-03-31" {
		t.Errorf("ExpiresString = %q", got)
	}
	if got := b.Waivers[2].ExpiresString(); got != "" {
		t.Errorf("ExpiresString of a waiver without expiry = %q", got)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, data := range []string{"", "# nothing waived\n", "waivers:\n", "waivers: []\n", "~\n"} {
		b, err := Parse("b.yaml", []byte(data))
		if err != nil || len(b.Waivers) != 0 {
			t.Errorf("Parse(%q) = %+v, %v; want no waivers", data, b, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string // each a full error line, in order
	}{
		{"unknown top-level key", "waivers: []\nwaiver: []\n",
			[]string{`b.yaml:2:1: unknown key "waiver" in the baseline (want waivers)`}},
		{"unknown waiver key", "waivers:\n  - {id: rfc6749.no-store, reason: r, expire: 2027-01-01}\n",
			[]string{`b.yaml:2:39: unknown key "expire" in a waiver (want id, reason, expires)`}},
		{"missing id", "waivers:\n  - {reason: r}\n",
			[]string{`b.yaml:2:5: waiver has no id`}},
		{"empty id", "waivers:\n  - {id: '', reason: r}\n",
			[]string{`b.yaml:2:10: waiver has an empty id`}},
		{"missing reason", "waivers:\n  - id: rfc6749.no-store\n",
			[]string{`b.yaml:2:5: waiver for rfc6749.no-store has no reason`}},
		{"blank reason", "waivers:\n  - id: rfc6749.no-store\n    reason: '   '\n",
			[]string{`b.yaml:3:13: waiver for rfc6749.no-store has an empty reason`}},
		{"unknown requirement", "waivers:\n  - {id: rfc7636.verifier-lenght, reason: r}\n",
			[]string{`b.yaml:2:10: unknown requirement "rfc7636.verifier-lenght" (pkcecheck list shows the IDs)`}},
		{"date with one-digit month", "waivers:\n  - {id: rfc6749.no-store, reason: r, expires: 2027-3-31}\n",
			[]string{`b.yaml:2:48: expires "2027-3-31" is not a date (YYYY-MM-DD; leave the key out for a waiver that never expires)`}},
		{"impossible date", "waivers:\n  - {id: rfc6749.no-store, reason: r, expires: 2027-02-30}\n",
			[]string{`b.yaml:2:48: expires "2027-02-30" is not a date`}},
		{"timestamp instead of date", "waivers:\n  - {id: rfc6749.no-store, reason: r, expires: 2027-02-01T00:00:00Z}\n",
			[]string{`b.yaml:2:48: expires "2027-02-01T00:00:00Z" is not a date`}},
		{"day-first date", "waivers:\n  - {id: rfc6749.no-store, reason: r, expires: 31.03.2027}\n",
			[]string{`b.yaml:2:48: expires "31.03.2027" is not a date`}},
		{"duplicate waiver", "waivers:\n  - {id: rfc6749.no-store, reason: a}\n  - {id: rfc6749.no-store, reason: b}\n",
			[]string{`b.yaml:3:10: a second waiver for rfc6749.no-store (the first is at line 2)`}},
		{"key twice", "waivers:\n  - {id: rfc6749.no-store, reason: a, reason: b}\n",
			[]string{`b.yaml:2:39: a waiver sets "reason" twice`}},
		{"list value", "waivers:\n  - {id: [rfc6749.no-store], reason: a}\n",
			[]string{`b.yaml:2:10: id is a single value`}},
		{"waivers not a list", "waivers: rfc6749.no-store\n",
			[]string{`b.yaml:1:10: waivers is a list of {id, reason, expires}`}},
		{"waiver not a mapping", "waivers:\n  - rfc6749.no-store\n",
			[]string{`b.yaml:2:5: a waiver is a mapping {id, reason, expires}`}},
		{"top level a list", "- {id: rfc6749.no-store}\n",
			[]string{`b.yaml:1:1: a baseline is a mapping with the key waivers`}},
		{"syntax error", "waivers:\n  - {id: rfc6749.no-store, reason: a\n",
			[]string{`b.yaml:2: invalid YAML: did not find expected ',' or '}'`}},
		{"syntax error on the first line", "waivers: @x\n",
			[]string{`b.yaml:1: invalid YAML: found character that cannot start any token`}},
		{"tab indentation", "waivers:\n\t- {id: rfc6749.no-store, reason: a}\n",
			[]string{`b.yaml:2: invalid YAML: found character that cannot start any token`}},
		{"two documents", "waivers: []\n---\nwaivers: []\n",
			[]string{`b.yaml:2:1: a baseline is a single YAML document; found a second one`}},
		{"several problems, sorted", "waivers:\n  - {id: nope, reason: r}\n  - {id: rfc6749.no-store}\nextra: 1\n",
			[]string{
				`b.yaml:2:10: unknown requirement "nope"`,
				`b.yaml:3:5: waiver for rfc6749.no-store has no reason`,
				`b.yaml:4:1: unknown key "extra" in the baseline`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse("b.yaml", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", b)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("error:\n%v\nwant %d line(s): %q", err, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error line %d = %q, want prefix %q", i, lines[i], w)
				}
			}
			var be *Error
			if !errors.As(err, &be) || be.Path != "b.yaml" || be.Line == 0 {
				t.Errorf("error %v is not a located *Error", err)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), path+": read baseline: ") {
		t.Fatalf("Load of a missing file: %v", err)
	}
}

func TestWaiverLive(t *testing.T) {
	w := Waiver{Expires: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}
	berlin := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		today time.Time
		live  bool
	}{
		{time.Date(2027, 3, 30, 12, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 3, 31, 23, 59, 59, 0, time.UTC), true}, // the last day holds all day
		{time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 4, 1, 1, 0, 0, 0, berlin), false}, // the date where the user is counts
		{time.Date(2027, 3, 31, 23, 0, 0, 0, time.FixedZone("PDT", -7*3600)), true},
	}
	for _, tt := range tests {
		if got := w.Live(tt.today); got != tt.live {
			t.Errorf("Live(%v) = %v, want %v", tt.today, got, tt.live)
		}
	}
	if !(Waiver{}).Live(time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a waiver without expiry is not live")
	}
}
