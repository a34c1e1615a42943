package hydra

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestShippedProfileMatchesServer checks that profiles/hydra.yaml names the
// clients, redirect URI, scopes and page selectors Start provides, with and
// without the environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	dir, err := BuildDir()
	if err != nil {
		t.Fatalf("BuildDir: %v", err)
	}
	path := filepath.Join(dir, "..", "..", "..", "..", "profiles", "hydra.yaml")
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
		{"defaults", nil, "http://127.0.0.1:4444/", "dev-only-hydra-secret", DefaultUsername},
		{"from environment", map[string]string{
			"HYDRA_ISSUER":      "http://127.0.0.1:40001/",
			"HYDRA_CONF_SECRET": "conf-secret-from-env",
			"HYDRA_USER":        "bob",
			"HYDRA_PASSWORD":    "pw",
		}, "http://127.0.0.1:40001/", "conf-secret-from-env", "bob"},
	}
	scopes := []string{"openid", "offline"}
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
					RedirectURI: RedirectURI, Scopes: scopes},
				Confidential: &profiles.Client{ID: ConfidentialClientID, Secret: tt.wantSecret,
					AuthMethod: profiles.AuthClientSecretBasic, RedirectURI: RedirectURI, Scopes: scopes},
				Other: &profiles.Client{ID: OtherClientID, AuthMethod: profiles.AuthNone,
					RedirectURI: RedirectURI, Scopes: scopes},
			}
			if !reflect.DeepEqual(p.Clients, want) {
				t.Errorf("clients differ from what Start registers")
			}
			var got []string
			for _, s := range append(append([]profiles.Step(nil), p.Login.Steps...), p.Login.Consent...) {
				got = append(got, s.Kind()+" "+s.Selector())
			}
			wantSteps := []string{"fill " + UsernameSelector, "fill " + PasswordSelector,
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
		})
	}
}
