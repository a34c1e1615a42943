package profiles

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseStepKinds(t *testing.T) {
	src := `name: t
issuer: https://a.example
clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:8765/cb"}
login:
  steps:
    - {click_if_present: "#cookies"}
    - {fill: "#u", value: "${USER}", frame: "iframe#login"}
    - {click_if_present: "#next", optional_timeout: 500ms}
    - {totp: "#otp", secret: "${TOTP_SECRET}", digits: 8}
    - {totp: "#otp2", secret: "${NO_SECRET:-}", optional: true, optional_timeout: 3s}
    - {select: "select#tenant", value: acme}
    - {click_text: "alice@example.com"}
    - {wait: "#done", optional: true}
    - {click: "#go", frame: "#f", optional: false}
  consent:
    - {click_text: "Allow Access"}
`
	env := envOf(map[string]string{"USER": "alice", "TOTP_SECRET": "JBSWY3DPEHPK3PXP"})
	p, err := Parse("s.yaml", []byte(src), env)
	if err != nil {
		t.Fatal(err)
	}
	want := []Step{
		{ClickIfPresent: "#cookies", Line: 7},
		{Fill: "#u", Value: "alice", Frame: "iframe#login", Line: 8},
		{ClickIfPresent: "#next", OptionalTimeout: 500 * time.Millisecond, Line: 9},
		{TOTP: "#otp", Secret: "JBSWY3DPEHPK3PXP", Digits: 8, Line: 10},
		{TOTP: "#otp2", Optional: true, OptionalTimeout: 3 * time.Second, Line: 11},
		{Select: "select#tenant", Value: "acme", Line: 12},
		{ClickText: "alice@example.com", Line: 13},
		{Wait: "#done", Optional: true, Line: 14},
		{Click: "#go", Frame: "#f", Line: 15},
	}
	if !reflect.DeepEqual(p.Login.Steps, want) {
		t.Errorf("steps:\n%+v\nwant\n%+v", p.Login.Steps, want)
	}
	if c := p.Login.Consent; len(c) != 1 || c[0].ClickText != "Allow Access" || c[0].Kind() != KindClickText {
		t.Errorf("consent = %+v", c)
	}
	kinds := []string{}
	for _, s := range p.Login.Steps {
		kinds = append(kinds, s.Kind())
	}
	if !slices.Equal(kinds, []string{"click_if_present", "fill", "click_if_present", "totp", "totp", "select", "click_text", "wait", "click"}) {
		t.Errorf("kinds = %v", kinds)
	}
	s := p.Login.Steps
	if !s[0].IsOptional() || s[0].GraceTimeout() != DefaultOptionalTimeout || s[2].GraceTimeout() != 500*time.Millisecond ||
		!s[4].IsOptional() || s[1].IsOptional() || s[6].Selector() != "alice@example.com" {
		t.Errorf("optional/grace/selector helpers wrong: %+v", s)
	}
	if !slices.Contains(p.Secrets(), "JBSWY3DPEHPK3PXP") {
		t.Error("the TOTP secret is not a secret")
	}
}

func TestLiteralTOTPSecretIsSecret(t *testing.T) {
	src := "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:\n  steps:\n    - {totp: \"#otp\", secret: JBSWY3DPEHPK3PXP}\n"
	p, err := Parse("s.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Secrets(), "JBSWY3DPEHPK3PXP") {
		t.Errorf("Secrets() = %q lacks the literal TOTP secret", p.Secrets())
	}
}

func TestParseStepErrors(t *testing.T) {
	head := "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:\n  steps:\n"
	tests := []struct {
		name, step string
		col        int
		msg        string
	}{
		{"two new actions", `{totp: "#a", secret: JBSWY3DP, click_text: x}`, 7,
			"login.steps[0] has totp and click_text; a step does exactly one of fill, click, wait, click_if_present, totp, select or click_text"},
		{"select without value", `{select: "#s"}`, 7, "login.steps[0]: select needs a value"},
		{"value on totp", `{totp: "#o", secret: JBSWY3DP, value: x}`, 38, "login.steps[0]: value is only used with fill and select, not with totp"},
		{"totp without secret", `{totp: "#o"}`, 7, "login.steps[0]: totp needs a secret"},
		{"secret on click", `{click: "#o", secret: x}`, 21, "login.steps[0]: secret is only used with totp, not with click"},
		{"bad base32", `{totp: "#o", secret: "not base32!"}`, 28, "login.steps[0].secret: the TOTP secret is not valid base32"},
		{"empty secret", `{totp: "#o", secret: "${S:-}"}`, 28, "login.steps[0].secret \"\" is empty"},
		{"digits 7", `{totp: "#o", secret: JBSWY3DP, digits: 7}`, 46, `login.steps[0].digits must be 6 or 8, not "7"`},
		{"digits on fill", `{fill: "#o", value: v, digits: 6}`, 30, "login.steps[0]: digits is only used with totp, not with fill"},
		{"empty click_text", `{click_text: ""}`, 20, "login.steps[0].click_text text must not be empty"},
		{"empty frame", `{click: "#a", frame: ""}`, 28, "login.steps[0].frame selector must not be empty"},
		{"optional not bool", `{click: "#a", optional: maybe}`, 31, `login.steps[0].optional must be true or false, not "maybe"`},
		{"optional on click_if_present", `{click_if_present: "#a", optional: true}`, 42, "click_if_present is always optional; remove optional"},
		{"timeout without optional", `{click: "#a", optional_timeout: 1s}`, 21, "login.steps[0]: optional_timeout needs optional: true"},
		{"timeout without unit", `{click_if_present: "#a", optional_timeout: 5}`, 50, "login.steps[0].optional_timeout must be a duration"},
		{"timeout too long", `{click_if_present: "#a", optional_timeout: 2m}`, 50, "must be more than 0 and at most 1m"},
		{"unknown key", `{click: "#a", fram: "#f"}`, 21, `unknown key "fram" in login.steps[0]; known keys: fill, value, click, wait, click_if_present, totp, secret, digits, select, click_text, frame, optional, optional_timeout; did you mean "frame"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(head+"    - "+tt.step+"\n"), nil)
			errs := problems(t, err)
			if len(errs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(errs), err)
			}
			e := errs[0]
			if e.Line != 7 || e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got  %s\nwant x.yaml:7:%d: ...%s...", e, tt.col, tt.msg)
			}
		})
	}
}

func TestParseConsentStepErrors(t *testing.T) {
	head := "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:\n  steps: [{click: a}]\n  consent:\n"
	for _, step := range []string{`{click_if_present: "#a"}`, `{click: "#a", optional: true}`} {
		_, err := Parse("x.yaml", []byte(head+"    - "+step+"\n"), nil)
		if err == nil || !strings.Contains(err.Error(), "x.yaml:8:") || !strings.Contains(err.Error(), "consent steps run only when their element shows") {
			t.Errorf("%s in consent: %v", step, err)
		}
	}
}
