package browser

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// planOf is a plan of kind k whose steps act on sels ("fill:#u", "click:#go").
func planOf(k loginpage.Kind, msg string, steps ...string) loginpage.Plan {
	p := loginpage.Plan{Kind: k, Message: msg}
	for _, s := range steps {
		kind, sel, _ := strings.Cut(s, ":")
		var st profiles.Step
		switch kind {
		case "fill":
			st = profiles.Step{Fill: sel, Value: "v"}
		case "totp":
			st = profiles.Step{TOTP: sel}
		default:
			st = profiles.Step{Click: sel}
		}
		p.Actions = append(p.Actions, loginpage.Action{Step: st})
	}
	return p
}

func TestDetectFlow(t *testing.T) {
	page := func(u string) *loginpage.Page { return &loginpage.Page{URL: u} }
	mask := func(s string) string { return strings.ReplaceAll(s, "alice", "***") }
	login := planOf(loginpage.KindLogin, "", "fill:#u", "fill:#p", "click:#go")
	type step struct {
		page    *loginpage.Page
		plan    loginpage.Plan
		sameDoc bool
		wait    bool
		err     string // a part of the error; "" for none
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"login then consent", []step{
			{page: page("/login"), plan: login},
			{page: page("/consent"), plan: planOf(loginpage.KindConsent, "", "click:#ok")},
		}},
		{"the same page still there waits", []step{
			{page: page("/login"), plan: login},
			{page: page("/login"), plan: login, sameDoc: true, wait: true},
		}},
		{"refused with the page's message", []step{
			{page: page("/login"), plan: login},
			{page: page("/login"), plan: planOf(loginpage.KindLogin, "No account alice here", "fill:#u", "fill:#p", "click:#go"),
				err: `login rejected: after the credentials were submitted the login page shows again with the message "No account *** here"`},
		}},
		{"an SPA shows the message in the same document", []step{
			{page: page("/app"), plan: login},
			{page: page("/app"), plan: planOf(loginpage.KindLogin, "Wrong password", "fill:#u", "fill:#p", "click:#go"), sameDoc: true, err: "login rejected"},
		}},
		{"the login again without a message", []step{
			{page: page("/login"), plan: login},
			{page: page("/login"), plan: login, err: "showed again after the credentials"},
		}},
		{"identifier then password with a hint", []step{
			{page: page("/id"), plan: planOf(loginpage.KindIdentifier, "", "fill:#u", "click:#next")},
			{page: page("/pw"), plan: planOf(loginpage.KindPassword, "Enter your password", "fill:#p", "click:#go")},
			{page: page("/otp"), plan: planOf(loginpage.KindOTP, "", "totp:#otp", "click:#go")},
			{page: page("/otp"), plan: planOf(loginpage.KindOTP, "Invalid code", "totp:#otp", "click:#go"), err: "login rejected"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f DetectFlow
			for i, s := range tt.steps {
				wait, err := f.Next(s.page, s.plan, s.sameDoc, mask)
				switch {
				case s.err != "" && (err == nil || !strings.Contains(err.Error(), s.err)):
					t.Fatalf("page %d: error %v, want %q", i+1, err, s.err)
				case s.err == "" && err != nil:
					t.Fatalf("page %d: %v", i+1, err)
				case wait != s.wait:
					t.Fatalf("page %d: wait %v, want %v", i+1, wait, s.wait)
				}
				if err == nil && !wait {
					f.Acted(s.page, s.plan)
				}
			}
		})
	}

	// The page bound.
	f := DetectFlow{Max: 2}
	interstitial := planOf(loginpage.KindInterstitial, "", "click:#yes")
	for i := 0; i < 2; i++ {
		if _, err := f.Next(page("/i"), interstitial, false, mask); err != nil {
			t.Fatal(err)
		}
		f.Acted(page("/i"), interstitial)
	}
	if _, err := f.Next(page("/i"), interstitial, false, mask); err == nil || !strings.Contains(err.Error(), "acted on 2 pages") {
		t.Errorf("third page: %v, want the bound", err)
	}

	// Completing the login is reported once.
	var g DetectFlow
	if !g.Acted(page("/l"), login) || g.Acted(page("/otp"), planOf(loginpage.KindOTP, "", "totp:#otp", "click:#go")) {
		t.Error("the login's completion is not reported exactly once")
	}
}

func TestCheckHosts(t *testing.T) {
	allowed := allowHosts("idp.example")
	login := planOf(loginpage.KindLogin, "", "fill:#u", "click:#go")
	consent := planOf(loginpage.KindConsent, "", "click:#ok")
	pg := &loginpage.Page{URL: "https://evil.example/login", Frame: "iframe#f"}
	for _, tt := range []struct {
		plan loginpage.Plan
		urls []string
		want string
	}{
		{login, []string{"https://idp.example/login"}, ""},
		{login, []string{"https://evil.example/login"}, `is on evil.example, outside the profile's scope`},
		{login, []string{"https://idp.example/login", "https://evil.example/top"}, "evil.example"},
		{login, []string{"about:srcdoc"}, "not an http(s) page"},
		{consent, []string{"https://evil.example/consent"}, ""}, // nothing typed
	} {
		err := CheckHosts(allowed, tt.plan, pg, tt.urls...)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s on %v: %v, want %q", tt.plan.Kind, tt.urls, err, tt.want)
		}
	}
	// A form on an allowed page that posts elsewhere.
	posting := &loginpage.Page{URL: "https://idp.example/login",
		Forms:    []loginpage.Form{{Action: "https://collector.example/steal"}},
		Controls: []loginpage.Control{{Tag: "input", Form: 0}}}
	if err := CheckHosts(allowed, login, posting, posting.URL); err == nil || !strings.Contains(err.Error(), "sends to collector.example") {
		t.Errorf("a form posting to another host: %v", err)
	}
	posting.Forms[0].Action = "/login-actions/authenticate"
	if err := CheckHosts(allowed, login, posting, posting.URL); err != nil {
		t.Errorf("a form posting to its own host: %v", err)
	}
	if err := CheckHosts(nil, login, pg, "https://idp.example/"); err == nil {
		t.Error("no scope: credentials typed anyway")
	}
}
