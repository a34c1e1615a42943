package providertest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/process"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// Shipped is what a shipped profile (profiles/<File>) must say about the
// provider the tests start: its three clients, redirect URI and scopes,
// its login and consent steps, a strict policy, and the values each Case's
// environment gives.
type Shipped struct {
	File                              string // e.g. "dex.yaml"
	PublicID, ConfidentialID, OtherID string
	RedirectURI                       string
	// OtherQueryRedirectURI is the other client's redirect_uri_with_query
	// ("" when the profile names none).
	OtherQueryRedirectURI string
	// ConfidentialAuthMethods is the confidential client's auth_methods
	// (nil when the profile gives only auth_method: client_secret_basic).
	ConfidentialAuthMethods []string
	// PKCERequired is the profile's policy.pkce_required ("" means
	// profiles.PKCERequiredPublic).
	PKCERequired string
	Scopes       []string
	Steps        []string // "fill #login", "click #approve", ...
	Cases        []ShippedCase
	Extra        func(*testing.T, *profiles.Profile) // more checks, or nil
}

// ShippedCase is one environment and the values the profile must take.
type ShippedCase struct {
	Name           string
	Env            map[string]string
	Issuer, Secret string
	User           string // the first login step's value
	Password       string // the second's, when set
}

// CheckShipped loads the shipped profile under each case's environment and
// checks it against s.
func CheckShipped(t *testing.T, s Shipped) {
	t.Helper()
	dir, err := process.SourceDir("profiles folder", filepath.Join("..", "..", "profiles"), s.File)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, s.File)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read shipped profile: %v", err)
	}
	for _, tt := range s.Cases {
		t.Run(tt.Name, func(t *testing.T) {
			env := func(name string) (string, bool) { v, ok := tt.Env[name]; return v, ok }
			p, err := profiles.Parse(path, data, env)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if p.Issuer != tt.Issuer {
				t.Errorf("issuer = %q, want %q", p.Issuer, tt.Issuer)
			}
			client := func(id, secret, method string) *profiles.Client {
				return &profiles.Client{ID: id, Secret: secret, AuthMethod: method, RedirectURI: s.RedirectURI, Scopes: s.Scopes}
			}
			want := profiles.Clients{
				Public:       client(s.PublicID, "", profiles.AuthNone),
				Confidential: client(s.ConfidentialID, tt.Secret, profiles.AuthClientSecretBasic),
				Other:        client(s.OtherID, "", profiles.AuthNone),
			}
			base := p.Clients
			base.Extra = nil // clients.extra is the provider's own check (Shipped.Extra)
			want.Other.RedirectURIWithQuery = s.OtherQueryRedirectURI
			want.Confidential.AuthMethods = s.ConfidentialAuthMethods
			if !reflect.DeepEqual(base, want) {
				t.Errorf("clients differ from the provider's")
			}
			var got []string
			for _, st := range append(append([]profiles.Step(nil), p.Login.Steps...), p.Login.Consent...) {
				got = append(got, st.Kind()+" "+st.Selector())
			}
			if !reflect.DeepEqual(got, s.Steps) {
				t.Errorf("login steps = %q, want %q", got, s.Steps)
			}
			if len(p.Login.Steps) > 0 && p.Login.Steps[0].Value != tt.User {
				t.Errorf("login value = %q, want %q", p.Login.Steps[0].Value, tt.User)
			}
			if tt.Password != "" && (len(p.Login.Steps) < 2 || p.Login.Steps[1].Value != tt.Password) {
				t.Errorf("the password step differs from the provider's user")
			}
			required := s.PKCERequired
			if required == "" {
				required = profiles.PKCERequiredPublic
			}
			wantPolicy := profiles.Policy{PKCERequired: required,
				Plain: profiles.PlainForbidden, ErrorCodes: profiles.ErrorCodesStrict}
			if p.Policy != wantPolicy {
				t.Errorf("policy = %+v, want %+v", p.Policy, wantPolicy)
			}
			if s.Extra != nil {
				s.Extra(t, p)
			}
		})
	}
}
