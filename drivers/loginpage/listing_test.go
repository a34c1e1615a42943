package loginpage

import (
	"strings"
	"testing"
)

// TestListingNamesTheRealFields: Keycloak's login page lists its ids, each
// with a selector, and never a password or hidden value or a secret query
// value.
func TestListingNamesTheRealFields(t *testing.T) {
	p, _ := loadFixture(t, "keycloak-login.html")
	for i := range p.Controls {
		switch p.Controls[i].ID {
		case "password":
			p.Controls[i].Value = "Typed-Secret-42"
		case "id-hidden-input":
			p.Controls[i].Value = "hidden-credential-id-7"
		}
	}
	var b strings.Builder
	p.Listing(&b)
	out := b.String()
	t.Log("\n" + out)
	for _, want := range []string{
		`title: "Sign in to demo"`,
		`form form#kc-form-login (method post`,
		`input    #username`, `type=text name="username" id="username" autocomplete="username" label "Username or email"`,
		`input    #password`, `type=password name="password" id="password" autocomplete="current-password" label "Password"`,
		`input    #rememberMe`, `button   #kc-login`, `text "Sign In"`,
		`button   #password-show-password`, `link     `, `text "Forgot Password?"`, `text "Register"`,
		`state=***`, `code_challenge=***`, `client_id=pkce-public`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("listing lacks %q", want)
		}
	}
	for _, secret := range []string{"Typed-Secret-42", "hidden-credential-id-7", "st-secret-1", "ch-secret-2", "session_code=Xj8kq2", "credentialId"} {
		if strings.Contains(out, secret) {
			t.Errorf("listing shows %q", secret)
		}
	}
}

// TestListingOfAnEmptyPage says so rather than printing nothing.
func TestListingOfAnEmptyPage(t *testing.T) {
	p, err := FromHTML(fixtureURL, []byte("<html><head><title>Blank</title></head><body><p>Loading…</p></body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	p.Listing(&b)
	if !strings.Contains(b.String(), "no visible inputs, buttons or links") {
		t.Errorf("listing:\n%s", b.String())
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://idp/auth?client_id=c&state=s1&nonce=n1&code_challenge=x&scope=openid+email": "https://idp/auth?client_id=c&state=***&nonce=***&code_challenge=***&scope=openid+email",
		"https://app/cb#access_token=t&token_type=bearer":                                    "https://app/cb#access_token=***&token_type=***",
		"/login-actions/authenticate?session_code=abc&tab_id=T1":                             "/login-actions/authenticate?session_code=***&tab_id=***",
		"https://idp/plain": "https://idp/plain",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
