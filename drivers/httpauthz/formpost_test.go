package httpauthz

import (
	"net/url"
	"testing"
)

// TestFormPostResponse: the form_post pages of refidp and node-oidc-provider
// style are read; other pages with forms are not.
func TestFormPostResponse(t *testing.T) {
	page, _ := url.Parse("http://127.0.0.1:9000/authorize?x=1")
	const redirect = "http://127.0.0.1:8765/callback"
	tests := []struct {
		name       string
		body       string
		want       bool
		code, errc string
		state      string
	}{
		{"double quotes", `<html><body onload="document.forms[0].submit()"><form method="post" action="http://127.0.0.1:8765/callback">
<input type="hidden" name="code" value="c1"/><input type="hidden" name="state" value="a&amp;b"/></form></body></html>`, true, "c1", "", "a&b"},
		{"single quotes, attributes reordered", `<form action='http://127.0.0.1:8765/callback' METHOD='POST'><input value='access_denied' name='error' type='hidden'><input name=state value=s2></form>`,
			true, "", "access_denied", "s2"},
		{"login form", `<form method="post" action="/login"><input name="username"><input name="password" type="password"></form>`, false, "", "", ""},
		{"get form to the redirect URI", `<form method="get" action="http://127.0.0.1:8765/callback"><input name="code" value="c"></form>`, false, "", "", ""},
		{"post without code or error", `<form method="post" action="http://127.0.0.1:8765/callback"><input name="state" value="s"></form>`, false, "", "", ""},
		{"other host", `<form method="post" action="http://evil.example/callback"><input name="code" value="c"></form>`, false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := formPostResponse([]byte(tt.body), page, redirect)
			if (r != nil) != tt.want {
				t.Fatalf("got %+v, want a response: %t", r, tt.want)
			}
			if r == nil {
				return
			}
			if r.Mode != "form_post" || r.Code != tt.code || r.Error != tt.errc || r.State != tt.state {
				t.Errorf("got mode %q code %q error %q state %q", r.Mode, r.Code, r.Error, r.State)
			}
		})
	}
}
