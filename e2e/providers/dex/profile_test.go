package dex

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestShippedProfileMatchesServer checks that profiles/dex.yaml names the
// clients, redirect URI, user and page selectors this package configures,
// with and without the environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	dir, err := BuildDir()
	if err != nil {
		t.Fatalf("BuildDir: %v", err)
	}
	path := filepath.Join(dir, "..", "..", "..", "..", "profiles", "dex.yaml")
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
		wantPass   string
	}{
		{"defaults", nil, "http://127.0.0.1:5556/dex", "dev-only-dex-secret", Email, Password},
		{"from environment", map[string]string{
			"DEX_ISSUER":      "http://127.0.0.1:40001/dex",
			"DEX_CONF_SECRET": testSecret,
			"DEX_USER":        "bob@example.com",
			"DEX_PASSWORD":    "pw",
		}, "http://127.0.0.1:40001/dex", testSecret, "bob@example.com", "pw"},
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
				t.Errorf("clients differ from the static clients of the dex config")
			}
			var got []string
			for _, s := range append(append([]profiles.Step(nil), p.Login.Steps...), p.Login.Consent...) {
				got = append(got, s.Kind()+" "+s.Selector())
			}
			wantSteps := []string{"fill " + LoginSelector, "fill " + PasswordSelector,
				"click " + SubmitSelector, "click " + ApprovalSelector}
			if !reflect.DeepEqual(got, wantSteps) {
				t.Errorf("login steps = %q, want %q", got, wantSteps)
			}
			if len(p.Login.Steps) == 3 && (p.Login.Steps[0].Value != tt.wantUser || p.Login.Steps[1].Value != tt.wantPass) {
				t.Errorf("login values differ from the static user")
			}
			wantPolicy := profiles.Policy{PKCERequired: profiles.PKCERequiredPublic,
				Plain: profiles.PlainForbidden, ErrorCodes: profiles.ErrorCodesStrict}
			if p.Policy != wantPolicy {
				t.Errorf("policy = %+v, want %+v", p.Policy, wantPolicy)
			}
		})
	}
}
