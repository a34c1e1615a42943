package profiles

import (
	"reflect"
	"strings"
	"testing"
)

func TestAuthorizeParams(t *testing.T) {
	head := "name: x\nissuer: https://idp.example.com\nclients:\n  public: {id: c, redirect_uri: http://127.0.0.1:8765/cb}\nlogin:\n  steps:\n    - {click: '#go'}\n"
	for _, tt := range []struct {
		name, yaml string
		want       [][2]string
		err        string // "" for none
	}{
		{"in the file's order", "authorize_params:\n  audience: https://api.example.com\n  prompt: login\n  acr_values: \"2\"\n",
			[][2]string{{"audience", "https://api.example.com"}, {"prompt", "login"}, {"acr_values", "2"}}, ""},
		{"a PKCE parameter", "authorize_params:\n  prompt: login\n  code_challenge_method: plain\n", nil, "x.yaml:10:3: authorize_params.code_challenge_method is set by pkcecheck itself"},
		{"the redirect URI", "authorize_params:\n  redirect_uri: http://x\n", nil, "x.yaml:9:3: authorize_params.redirect_uri is set by pkcecheck itself and cannot be given here: the redirect URI is clients.*.redirect_uri"},
		{"the client", "authorize_params:\n  Client_ID: other\n", nil, "x.yaml:9:3: authorize_params.Client_ID is set by pkcecheck itself"},
		{"the response", "authorize_params:\n  response_mode: form_post\n", nil, "x.yaml:9:3: authorize_params.response_mode"},
		{"not a mapping", "authorize_params: [audience]\n", nil, "x.yaml:8:19: authorize_params must be a mapping"},
		{"no value", "authorize_params:\n  audience:\n", nil, "authorize_params.audience needs a value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("x.yaml", []byte(head+tt.yaml), nil)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(p.AuthorizeParams, tt.want) {
					t.Errorf("got %q; want %q", p.AuthorizeParams, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("got %v; want an error containing %q", err, tt.err)
			}
		})
	}
}
