package reports

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pkcecheck/pkcecheck/results"
)

// cells splits a GFM table row on its unescaped pipes (GFM splits there even
// inside code spans).
func cells(row string) []string {
	var out []string
	start := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			out = append(out, row[start:i])
			start = i + 1
		}
	}
	return append(out, row[start:])
}

func tableRows(md string) []string {
	var rows []string
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "| `") {
			rows = append(rows, l)
		}
	}
	return rows
}

func TestMarkdownSample(t *testing.T) {
	run := sampleRun()
	data, err := Markdown(run)
	if err != nil {
		t.Fatal(err)
	}
	md := string(data)
	for _, want := range []string{
		"# pkcecheck: keycloak-staging\n",
		"Issuer `https://kc.example.com/realms/demo` · policy pkce_required=public, plain=forbidden, error_codes=strict, profile=base · 18.4 s, 1 login(s), 61 codes, 143 HTTP requests",
		fmt.Sprintf("**%d pass · 2 fail · 3 warn · 1 error · 1 waived · 1 skip**", len(run.Results)-8),
		"### Verifier checks\n\n| Requirement | Level | Status | Summary |\n|---|---|---|---|\n| `rfc7636.s256-roundtrip`",
		"|\n\n### Challenge and method at /authorize\n\n| Requirement | Level | Status | Summary |\n|---|---|---|---|\n| `rfc7636.challenge-missing`",
		"### Informational\n\n",
		"| `rfc7636.verifier-mismatch` (RFC 7636 §4.6)<br>Reject a verifier that does not match the challenge, with invalid_grant | MUST | ❌ fail | a verifier with its last character changed was accepted (the server seems to compare a prefix) |",
		"| 🏳️ waived |",
		"**Waived:** `rfc6749.no-store` (was fail: proxy rewrites Cache-Control; OPS-1234, until 2026-06-30)",
		"**Notes:**\n\n- waiver for rfc7636.verifier-charset expired on 2026-04-30\n- waiver for rfc6749.code-client-bound is stale",
		"Login steps: mixed, 4 step(s): login: fill",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	if rows := tableRows(md); len(rows) != len(run.Results) {
		t.Errorf("%d table rows, want %d", len(rows), len(run.Results))
	}
}

func TestMarkdownHostile(t *testing.T) {
	run := hostileRun()
	for i := range run.Results {
		run.Results[i].Summary += strings.Repeat(" long", 60)
	}
	data, err := Markdown(run)
	if err != nil {
		t.Fatal(err)
	}
	md := string(data)
	rows := tableRows(md)
	if len(rows) != len(run.Results) {
		t.Fatalf("%d table rows, want %d (a line break escaped into the table?):\n%s", len(rows), len(run.Results), md)
	}
	for i, row := range rows {
		c := cells(row)
		if len(c) != 6 || c[0] != "" || c[5] != "" {
			t.Errorf("row %d has %d cells, want 4 between the outer pipes:\n%s", i, len(c)-2, row)
			continue
		}
		summary := strings.TrimSpace(c[4])
		plain := strings.NewReplacer(`\`, "", "\u200b", "").Replace(summary)
		if n := utf8.RuneCountInString(plain); n > maxMarkdownSummary || !strings.HasSuffix(summary, "…") {
			t.Errorf("row %d summary has %d characters, want at most %d, cut with …", i, n, maxMarkdownSummary)
		}
		if !strings.HasPrefix(summary, string(run.Results[i].Status)+` summary \<script\>alert(1)\</script\> \]\]\> "dq" 'sq' a\|b \`+"`tick\\`") {
			t.Errorf("row %d summary not escaped as expected: %q", i, summary)
		}
		// Past the requirement's code span and the <br> the report adds,
		// nothing can turn into markup.
		_, source, _ := strings.Cut(c[1], "` (")
		source = strings.ReplaceAll(source, "<br>", " ")
		for _, text := range []string{source, c[2], c[4]} {
			if bad := unescaped(text); bad != "" {
				t.Errorf("row %d: unescaped %s in %q", i, bad, text)
			}
		}
		if !strings.Contains(row, "@\u200bteam") {
			t.Errorf("row %d: an @mention survived", i)
		}
	}
	for _, r := range md {
		if r < 0x20 && r != '\n' {
			t.Errorf("control character %U in report.md", r)
		}
	}
	if !strings.Contains(md, "Issuer ```https://x.example/<script>alert(1)</script> ]]> \"dq\" 'sq' a|b `tick` ``two``") {
		t.Errorf("issuer code span wrong:\n%s", md)
	}
	waived, _, _ := strings.Cut(md[strings.Index(md, "**Waived:** `rfc7636.method-bound` ("):], "\n")
	if bad := unescaped(strings.TrimPrefix(waived, "**Waived:** `rfc7636.method-bound` ")); bad != "" {
		t.Errorf("unescaped %s in the waived line %q", bad, waived)
	}
	note := md[strings.Index(md, "- note "):]
	if bad := unescaped(note); bad != "" {
		t.Errorf("unescaped %s in the note %q", bad, note)
	}
}

// unescaped returns the first character of s that could start Markdown
// markup and is not backslash-escaped, or "".
func unescaped(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '<', '>', '*', '$', '[', ']', '`', '|', '&':
			return fmt.Sprintf("%q at %d", s[i], i)
		}
	}
	return ""
}

func TestMdCodeAndText(t *testing.T) {
	tests := []struct {
		fn       func(string) string
		in, want string
	}{
		{mdText, "invalid_grant _em_ *b* a|b", `invalid_grant \_em\_ \*b\* a\|b`},
		{mdText, "line\nbreak", "line break"},
		{mdText, "mail admin@example.com or @ops", "mail admin@example.com or @\u200bops"},
		{func(s string) string { return mdCode(s, true) }, "a|b", "`a\\|b`"},
		{func(s string) string { return mdCode(s, false) }, "a|b", "`a|b`"},
		{func(s string) string { return mdCode(s, false) }, "`x`", "`` `x` ``"},
		{func(s string) string { return mdCode(s, false) }, "", ""},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownEmpty(t *testing.T) {
	data, err := Markdown(&results.Run{Target: results.Target{Name: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	md := string(data)
	if !strings.Contains(md, "**no requirement checked**") || strings.Contains(md, "|---|") {
		t.Errorf("empty run:\n%s", md)
	}
}
