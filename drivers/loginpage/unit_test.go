package loginpage

import (
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
)

func TestGeneratedIDs(t *testing.T) {
	for id, want := range map[string]bool{
		"input28": true, "ember123": true, ":r1:": true, "mui-42": true, "a1b2c3d4e5": true,
		"9d1a2b3c-1111-2222-3333-444455556666": true, "field-20231104": true, "ext-gen1234": true,
		"kc-login": false, "username": false, "idSIButton9": false, "idBtn_Back": false, "f1": false,
		"submit-login": false, "okta-signin-username": false, "login_field": false, "password-show-password": false,
	} {
		if got := generatedID(id); got != want {
			t.Errorf("generatedID(%q) = %v, want %v", id, got, want)
		}
	}
}

// TestSelectorsEscape: names and ids that are not CSS identifiers still
// give selectors that parse and match.
func TestSelectorsEscape(t *testing.T) {
	body := `<form><input name="credentials.passcode" type="password"><input id="a.b" name="x"><input id="q2" name='say "hi"\ there'>` +
		"<input name=\"line\nbreak\"><input id=\"9lives\"><input name=\"x\"></form>"
	p, err := FromHTML(nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	_, doc := parseForTest(t, body)
	want := []string{`input[name="credentials.passcode"]`, `input[id="a.b"]`, `#q2`, `input[name="line\a break"]`, `input[id="9lives"]`, "html > body > form > input:nth-of-type(6)"}
	for i := range p.Controls {
		sel, _ := p.Selector(i)
		if sel != want[i] {
			t.Errorf("control %d: selector %q, want %q", i, sel, want[i])
		}
		checkSelector(t, p, doc, i, sel)
	}
	// the naive selector parses as an id plus a class and finds nothing
	if got := cascadia.QueryAll(doc, cascadia.MustCompile("#credentials.passcode")); len(got) != 0 {
		t.Errorf("#credentials.passcode matches %d elements", len(got))
	}
}

// TestFormAttribute: a control outside its form joins it through form=.
func TestFormAttribute(t *testing.T) {
	p, err := FromHTML(nil, []byte(`<form id="a"></form><form id="b"><input name="u"></form><input name="p" type="password" form="a"><button form="b">Go</button><input name="free">`))
	if err != nil {
		t.Fatal(err)
	}
	got := []int{}
	for _, c := range p.Controls {
		got = append(got, c.Form)
	}
	if want := []int{1, 0, 1, -1}; !slices.Equal(got, want) {
		t.Errorf("forms %v, want %v", got, want)
	}
}

// TestVisibilityFromHTML: the markup rules FromHTML can see.
func TestVisibilityFromHTML(t *testing.T) {
	p, err := FromHTML(nil, []byte(`<body>
<input id="shown">
<input id="h1" type="hidden">
<input id="h2" hidden>
<div style="display: none"><input id="h3"></div>
<div style="VISIBILITY:hidden"><input id="h4"></div>
<div aria-hidden="true"><button id="h5">x</button></div>
<template><input id="h6"></template>
<noscript><input id="h7"></noscript>
<input id="disabled" disabled><fieldset disabled><input id="fs"></fieldset><input id="ro" readonly>
</body>`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]Control{}
	for _, c := range p.Controls {
		seen[c.ID] = c
		if c.Visible != (c.ID == "shown" || c.ID == "disabled" || c.ID == "fs" || c.ID == "ro") {
			t.Errorf("%s: visible %v", c.ID, c.Visible)
		}
	}
	if _, ok := seen["h6"]; ok {
		t.Error("a <template>'s content is a control")
	}
	ro, shown := seen["ro"], seen["shown"]
	if seen["disabled"].Enabled || seen["fs"].Enabled || !ro.ReadOnly || ro.Usable() || !shown.Usable() {
		t.Errorf("enabled/readonly wrong: %+v", seen)
	}
}

// TestMessages: alerts and error boxes are messages; a helper region that
// holds a link is not, nor is an empty or hidden one.
func TestMessages(t *testing.T) {
	p, err := FromHTML(nil, []byte(`<div aria-live="polite"><a href="/forgot">Forgot Password?</a></div>
<div role="alert"></div><div class="error" hidden>old</div>
<p id="login-error">Bad password.</p><div class="alert alert-danger d-none">Template error.</div><p class="error pf-v5-u-hidden">Also hidden.</p><div role="alert"><span class="error">Locked.</span></div><div class="dex-error-box">Bad password.</div>`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Bad password.", "Locked."}; strings.Join(p.Messages, "|") != strings.Join(want, "|") {
		t.Errorf("messages %q, want %q", p.Messages, want)
	}
}

func TestMatchWord(t *testing.T) {
	for _, tt := range []struct {
		s, want string
		list    []string
	}{
		{"kc-login", "login", submitWords},
		{"Sign in", "signin", submitWords},
		{"Notification", "", []string{"no"}},
		{"No", "no", []string{"no"}},
		{"Don't stay signed in", "dont", denyWords},
		{"do-not-stay-signed-in-btn", "do-not", denyWords},
		{"kc-feedback-text", "", []string{"back"}[:0]},
		{"Benutzername", "benutzer", userWords},
		{"emailAddress", "email", userWords},
	} {
		if got := matchWord(tt.s, tt.list); got != tt.want {
			t.Errorf("matchWord(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// TestScopesWithoutList: with no requested scopes given, every unticked
// scope box is ticked, never the remember box.
func TestScopesWithoutList(t *testing.T) {
	p, _ := loadFixture(t, "hydra-sample-consent.html")
	plan, err := Detect(p, Creds{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(planSteps(plan), ","); got != "consent,click #openid,click #offline,click #profile,click #accept" {
		t.Errorf("plan %s", got)
	}
}

// TestRoleButtons: a div with role=button is a control whose selector
// names its role, so no other div can match it.
func TestRoleButtons(t *testing.T) {
	body := `<div class="card">Scopes: openid</div><div class="actions"><div role="button" class="btn deny-btn" tabindex="0">Deny</div>` +
		`<div role="button" class="btn allow-btn" tabindex="0">Allow</div></div>`
	p, doc := parseForTest(t, body)
	plan, err := Detect(p, Creds{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(planSteps(plan), ","); got != `consent,click div[role="button"].allow-btn` {
		t.Errorf("plan %s", got)
	}
	checkSelector(t, p, doc, plan.Actions[0].Control, plan.Actions[0].Step.Selector())
}

// TestNavigationDoesNotCrowdOutTheForm: a portal's thousand links before
// the login form leave it within the bounds.
func TestNavigationDoesNotCrowdOutTheForm(t *testing.T) {
	p, err := FromHTML(nil, bigPage(1000))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Detect(p, Creds{Username: "u", Password: "p"})
	if err != nil || plan.Kind != KindLogin {
		t.Fatalf("Detect = %v, %v", planSteps(plan), err)
	}
	if n := len(p.Controls); n != MaxLinks+1000+3 {
		t.Errorf("%d controls, want %d", n, MaxLinks+1003)
	}
}

// TestFromJSONRefusesNonsense: a snapshot that does not hold together is an
// error naming the cause, never a panic later.
func TestFromJSONRefusesNonsense(t *testing.T) {
	for in, want := range map[string]string{
		`{"controls":[{"tag":"input","form":3,"path":"html"}]}`: "names form 3 of 0",
		`{"controls":[{"tag":"input","form":-1}]}`:              "has no path",
		`[1,2]`: "reading a page snapshot",
		``:      "reading a page snapshot",
	} {
		if _, err := FromJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromJSON(%q) = %v, want an error with %q", in, err, want)
		}
	}
}
