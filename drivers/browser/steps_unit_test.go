package browser

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

func TestLoginStepAndTargets(t *testing.T) {
	steps := []profiles.Step{
		{ClickIfPresent: "#cookies"},
		{Fill: "#u", Value: "x", Frame: "iframe#f"},
		{Click: "#next"},
		{TOTP: "#otp", Optional: true},
		{ClickText: "Alice", Optional: true},
		{Wait: "#done"},
	}
	o := Options{Login: steps, Consent: []profiles.Step{{ClickText: "Allow"}, {Click: "#ok"}}}
	// An optional step first (a cookie banner) is not the sign that the
	// login form shows.
	if s, ok := loginStep(o); !ok || s.Fill != "#u" {
		t.Errorf("loginStep = %+v, %v", s, ok)
	}
	if got := loginTarget(o); got == nil || *got != (probeTarget{Sel: "#u", Frame: "iframe#f"}) {
		t.Errorf("loginTarget = %+v", got)
	}
	// The submit step is the last one that acts and is not optional.
	if i := submitStep(steps); i != 2 {
		t.Errorf("submitStep = %d, want 2", i)
	}
	r := &run{b: &Browser{opts: o}}
	want := []probeTarget{{Sel: "#done"}, {Text: "Allow"}, {Sel: "#ok"}}
	if got := r.laterTargets(2); !reflect.DeepEqual(got, want) {
		t.Errorf("laterTargets(2) = %+v, want %+v", got, want)
	}
	if _, ok := loginStep(Options{}); ok {
		t.Error("loginStep without steps")
	}
}

func TestDescribeStep(t *testing.T) {
	tests := []struct {
		s    profiles.Step
		want string
	}{
		{profiles.Step{Fill: "#p", Value: "hunter2"}, `fill "#p"`},
		{profiles.Step{TOTP: "#otp", Secret: "JBSWY3DP", Optional: true}, `totp "#otp" (optional)`},
		{profiles.Step{ClickText: "Alice", Frame: "#f"}, `click_text "Alice" in frame "#f"`},
		{profiles.Step{Select: "#t", Value: "acme"}, `select "#t"`},
	}
	for _, tt := range tests {
		if got := describeStep(tt.s); got != tt.want {
			t.Errorf("describeStep = %s, want %s", got, tt.want)
		}
		if strings.Contains(describeStep(tt.s), "hunter2") || strings.Contains(describeStep(tt.s), "JBSWY3DP") {
			t.Error("describeStep shows a value or secret")
		}
	}
}

func TestScriptsEmbedTargetsAsJSON(t *testing.T) {
	// Selectors and texts with quotes and backslashes stay data.
	tricky := probeTarget{Sel: `input[name="a\"b"]`, Text: "it's `x` ${y}"}
	for _, script := range []string{probeScript(&tricky, []probeTarget{tricky}), movedOnScript(tricky, []probeTarget{tricky})} {
		j, _ := json.Marshal(tricky)
		if !strings.Contains(script, string(j)) {
			t.Errorf("script does not embed %s", j)
		}
	}
}

func TestLoginErrorNamesFrameAndConsentAction(t *testing.T) {
	e := &LoginError{Step: 1, Kind: KindConsent, Action: KindClickText, Selector: "Allow Access", Frame: "#f", Where: "p.yaml:9"}
	if got, want := e.Error(), `consent step 1 (click_text "Allow Access" in frame "#f", p.yaml:9): failed`; got != want {
		t.Errorf("Error() = %s, want %s", got, want)
	}
}
