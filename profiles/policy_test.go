package profiles

import (
	"strings"
	"testing"
)

// policyProfile is a minimal profile whose policy block is policy.
func policyProfile(policy string) string {
	return `name: p
issuer: http://127.0.0.1:9000
clients:
  public: {id: pub, redirect_uri: "http://127.0.0.1:8765/callback"}
login:
  steps:
    - {click: "#go"}
policy:
` + policy
}

// TestPolicyProfile: policy.profile selects base (the zero value) or
// oauth2.1-draft16; anything else, and plain: allowed under draft 16, is an
// error at its line.
func TestPolicyProfile(t *testing.T) {
	tests := []struct {
		name    string
		policy  string
		want    string // Policy.Profile
		wantErr string // with ":line"
	}{
		{"absent", "  plain: forbidden\n", "", ""},
		{"base", "  profile: base\n", "", ""},
		{"draft 16", "  profile: oauth2.1-draft16\n", ProfileOAuth21Draft16, ""},
		{"draft 16 from the environment", "  profile: ${P:-oauth2.1-draft16}\n", ProfileOAuth21Draft16, ""},
		{"unknown", "  profile: oauth2.1\n", "", "p.yaml:9:12: policy.profile: unknown value"},
		{"plain allowed under draft 16", "  profile: oauth2.1-draft16\n  plain: allowed\n", "", "p.yaml:10:10: policy.plain: allowed contradicts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte(policyProfile(tt.policy)), envOf(nil))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Policy.Profile != tt.want || p.Policy.OAuth21() != (tt.want == ProfileOAuth21Draft16) {
				t.Errorf("policy %+v, want profile %q", p.Policy, tt.want)
			}
		})
	}
}
