package nodeoidc

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestShippedProfileMatchesServer checks that profiles/node-oidc-provider.yaml
// names the clients, redirect URI and page selectors server.mjs provides, with
// and without the environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatalf("Dir: %v", err)
	}
	path := filepath.Join(dir, "..", "..", "..", "profiles", "node-oidc-provider.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read shipped profile: %v", err)
	}
	tests := []struct {
		name       string
		env        map[string]string
		wantIssuer string
		wantSecret string
		wantUser   string
	}{
		{"defaults", nil, "http://127.0.0.1:9810", "dev-only-node-oidc-secret", "alice"},
		{"from environment", map[string]string{
			"NODE_OIDC_ISSUER":      "http://127.0.0.1:40001",
			"NODE_OIDC_CONF_SECRET": testSecret,
			"NODE_OIDC_USER":        "bob",
			"NODE_OIDC_PASSWORD":    "pw",
		}, "http://127.0.0.1:40001", testSecret, "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok }
			p, err := profiles.Parse(path, data, env)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if p.Issuer != tt.wantIssuer {
				t.Errorf("issuer = %q, want %q", p.Issuer, tt.wantIssuer)
			}
			want := profiles.Clients{
				Public: &profiles.Client{ID: PublicClientID, AuthMethod: profiles.AuthNone,
					RedirectURI: RedirectURI, Scopes: []string{"openid"}},
				Confidential: &profiles.Client{ID: ConfidentialClientID, Secret: tt.wantSecret,
					AuthMethod: profiles.AuthClientSecretBasic, RedirectURI: RedirectURI, Scopes: []string{"openid"}},
				Other: &profiles.Client{ID: OtherClientID, AuthMethod: profiles.AuthNone,
					RedirectURI: RedirectURI, Scopes: []string{"openid"}},
			}
			if !reflect.DeepEqual(p.Clients, want) {
				t.Errorf("clients differ from what server.mjs registers")
			}
			var got []string
			for _, s := range append(append([]profiles.Step(nil), p.Login.Steps...), p.Login.Consent...) {
				got = append(got, s.Kind()+" "+s.Selector())
			}
			wantSteps := []string{"fill " + LoginSelector, "fill " + PasswordSelector,
				"click " + SubmitSelector, "click " + ConsentSelector}
			if !reflect.DeepEqual(got, wantSteps) {
				t.Errorf("login steps = %q, want %q", got, wantSteps)
			}
			if len(p.Login.Steps) > 0 && p.Login.Steps[0].Value != tt.wantUser {
				t.Errorf("login value = %q, want %q", p.Login.Steps[0].Value, tt.wantUser)
			}
			wantPolicy := profiles.Policy{PKCERequired: profiles.PKCERequiredPublic,
				Plain: profiles.PlainForbidden, ErrorCodes: profiles.ErrorCodesStrict}
			if p.Policy != wantPolicy {
				t.Errorf("policy = %+v, want %+v", p.Policy, wantPolicy)
			}
			if p.Limits.RequestsPerSecond != 50 || p.Limits.Timeout.String() != "10s" {
				t.Errorf("limits = %+v, want 50 rps and 10s", p.Limits)
			}
		})
	}
}
