package profiles

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestParseFlows: the flows section and a client's redirect_uri_with_query,
// with their defaults and their file:line errors.
func TestParseFlows(t *testing.T) {
	const head = "name: t\nissuer: https://a.example\nlogin:\n  steps:\n    - {click: \"#go\"}\n"
	const client = "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\n"
	tests := []struct {
		name      string
		src       string
		want      Flows
		wantQuery string
		err       string // "file:line:col: message" fragment
	}{
		{"absent", head + client, Flows{}, "", ""},
		{"both modes and an age", head + client + "flows: {response_modes: [form_post, fragment], max_code_age: 60s}\n",
			Flows{ResponseModes: []string{"form_post", "fragment"}, MaxCodeAge: time.Minute}, "", ""},
		{"query redirect", head + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\", redirect_uri_with_query: \"http://127.0.0.1:8765/cb?from=x\"}\n",
			Flows{}, "http://127.0.0.1:8765/cb?from=x", ""},
		{"unknown mode", head + client + "flows:\n  response_modes: [query]\n", Flows{}, "",
			"x.yaml:9:20: flows.response_modes[0]: unknown response mode"},
		{"mode twice", head + client + "flows:\n  response_modes: [form_post, form_post]\n", Flows{}, "",
			"x.yaml:9:31: flows.response_modes[1]: form_post is listed twice"},
		{"age without unit", head + client + "flows:\n  max_code_age: 60\n", Flows{}, "",
			"x.yaml:9:17: flows.max_code_age must be a duration"},
		{"age too long", head + client + "flows:\n  max_code_age: 2h\n", Flows{}, "",
			"x.yaml:9:17: flows.max_code_age \"2h\" is out of range"},
		{"unknown flows key", head + client + "flows:\n  max_age: 1m\n", Flows{}, "",
			"x.yaml:9:3: unknown key \"max_age\" in flows"},
		{"query redirect without query", head + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\", redirect_uri_with_query: \"http://127.0.0.1:8765/cb\"}\n",
			Flows{}, "", "clients.public.redirect_uri_with_query \"http://127.0.0.1:8765/cb\" must have a query"},
		{"query redirect elsewhere", head + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\", redirect_uri_with_query: \"http://127.0.0.1:8765/other?a=b\"}\n",
			Flows{}, "", "must have the scheme, host and path of redirect_uri"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("x.yaml", []byte(tt.src), envOf(nil))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Parse error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(p.Flows, tt.want) {
				t.Errorf("Flows = %+v, want %+v", p.Flows, tt.want)
			}
			if p.Clients.Public.RedirectURIWithQuery != tt.wantQuery {
				t.Errorf("RedirectURIWithQuery = %q, want %q", p.Clients.Public.RedirectURIWithQuery, tt.wantQuery)
			}
		})
	}
	if got := (Flows{}).CodeAge(); got != DefaultMaxCodeAge {
		t.Errorf("default CodeAge = %v, want %v", got, DefaultMaxCodeAge)
	}
}
