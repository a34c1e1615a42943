package discovery

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

func TestResolve(t *testing.T) {
	meta := &Metadata{
		Issuer:                "https://as.example.com",
		AuthorizationEndpoint: "https://as.example.com/authorize",
		TokenEndpoint:         "https://as.example.com/token",
		UserinfoEndpoint:      "https://as.example.com/userinfo",
		Source:                "https://as.example.com/.well-known/openid-configuration",
	}
	tests := []struct {
		name    string
		over    profiles.Endpoints
		meta    *Metadata
		want    Endpoints
		wantErr []string
	}{
		{name: "metadata only", meta: meta, want: Endpoints{
			Authorization: "https://as.example.com/authorize",
			Token:         "https://as.example.com/token",
			Userinfo:      "https://as.example.com/userinfo",
		}},
		{name: "overrides win", meta: meta,
			over: profiles.Endpoints{Token: "https://proxy.example.com/token", Introspection: "https://as.example.com/introspect"},
			want: Endpoints{
				Authorization: "https://as.example.com/authorize",
				Token:         "https://proxy.example.com/token",
				Userinfo:      "https://as.example.com/userinfo",
				Introspection: "https://as.example.com/introspect",
			}},
		{name: "no metadata, both overrides",
			over: profiles.Endpoints{Authorization: "http://127.0.0.1:9/a", Token: "http://127.0.0.1:9/t"},
			want: Endpoints{Authorization: "http://127.0.0.1:9/a", Token: "http://127.0.0.1:9/t"}},
		{name: "no metadata, token missing",
			over:    profiles.Endpoints{Authorization: "http://127.0.0.1:9/a"},
			wantErr: []string{"resolve endpoints for p.yaml: no token endpoint: set endpoints.token in the profile (no metadata was read)"}},
		{name: "metadata lacks both", meta: &Metadata{Issuer: "https://as.example.com", Source: "https://as.example.com/.well-known/oauth-authorization-server"},
			wantErr: []string{
				"no authorization endpoint: set endpoints.authorization in the profile (the metadata at https://as.example.com/.well-known/oauth-authorization-server has no authorization_endpoint)",
				"no token endpoint: set endpoints.token in the profile (the metadata at https://as.example.com/.well-known/oauth-authorization-server has no token_endpoint)",
			}},
		{name: "relative metadata endpoint", meta: &Metadata{AuthorizationEndpoint: "/authorize", TokenEndpoint: "https://as.example.com/token", Source: "x"},
			wantErr: []string{`metadata authorization_endpoint "/authorize" is not an absolute http or https URL`}},
		{name: "override repairs a bad metadata endpoint", meta: &Metadata{AuthorizationEndpoint: "/authorize", TokenEndpoint: "https://as.example.com/token", Source: "x"},
			over: profiles.Endpoints{Authorization: "https://as.example.com/authorize"},
			want: Endpoints{Authorization: "https://as.example.com/authorize", Token: "https://as.example.com/token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &profiles.Profile{Path: "p.yaml", Endpoints: tt.over}
			got, err := Resolve(p, tt.meta)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("Resolve = %+v, want an error", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q\ndoes not contain %q", err, w)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Resolve = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if _, err := Resolve(nil, meta); err == nil {
		t.Error("Resolve(nil profile) succeeded")
	}
}
