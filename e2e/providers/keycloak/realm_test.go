package keycloak

import (
	"encoding/json"

	"github.com/pkcecheck/pkcecheck/e2e/process"
	"slices"
	"strings"
	"testing"
)

// TestShippedRealm checks that profiles/keycloak-realm.json creates what
// profiles/keycloak.yaml needs: the three clients with the redirect URI and
// the S256 method attribute, the confidential one with a secret
// (client_secret_basic is Keycloak's "client-secret" authenticator), and a
// user with a password and a complete profile (no "Update account
// information" page).
func TestShippedRealm(t *testing.T) {
	r, err := ShippedRealm()
	if err != nil {
		t.Fatal(err)
	}
	if r.Name() != "pkcecheck" || r["enabled"] != true {
		t.Errorf("realm %q enabled=%v, want pkcecheck enabled", r.Name(), r["enabled"])
	}
	for _, tt := range []struct {
		id     string
		public bool
	}{{PublicClientID, true}, {ConfidentialClientID, false}, {OtherClientID, true}} {
		c := r.Client(tt.id)
		if c == nil {
			t.Errorf("no client %s", tt.id)
			continue
		}
		if c["publicClient"] != tt.public || c["standardFlowEnabled"] != true || c["enabled"] != true {
			t.Errorf("%s: publicClient=%v standardFlowEnabled=%v enabled=%v", tt.id, c["publicClient"], c["standardFlowEnabled"], c["enabled"])
		}
		uris, _ := c["redirectUris"].([]any)
		if !slices.Contains(uris, any(RedirectURI)) {
			t.Errorf("%s: redirectUris %v lack %s", tt.id, uris, RedirectURI)
		}
		attrs, _ := c["attributes"].(map[string]any)
		if attrs[PKCEMethodAttribute] != "S256" {
			t.Errorf("%s: %s = %v, want S256", tt.id, PKCEMethodAttribute, attrs[PKCEMethodAttribute])
		}
		if !tt.public && (c["clientAuthenticatorType"] != "client-secret" || c["secret"] == "") {
			t.Errorf("%s: authenticator %v secret set %v", tt.id, c["clientAuthenticatorType"], c["secret"] != "")
		}
	}
	u := r.User(Username)
	if u == nil {
		t.Fatalf("no user %s", Username)
	}
	for _, f := range []string{"firstName", "lastName", "email"} {
		if s, _ := u[f].(string); s == "" {
			t.Errorf("user %s has no %s (Keycloak would ask to update the account)", Username, f)
		}
	}
	if u["emailVerified"] != true || u["enabled"] != true {
		t.Errorf("user %s: emailVerified=%v enabled=%v", Username, u["emailVerified"], u["enabled"])
	}
	creds := objects(u["credentials"])
	if len(creds) != 1 || creds[0]["type"] != "password" || creds[0]["temporary"] != false {
		t.Errorf("user %s credentials %v, want one permanent password", Username, creds)
	}
}

func TestRealmVariants(t *testing.T) {
	shipped, err := ShippedRealm()
	if err != nil {
		t.Fatal(err)
	}
	v, err := shipped.Variant("other", "pw-X", "sec-Y")
	if err != nil {
		t.Fatal(err)
	}
	v.SetConsentRequired(true)
	v.RemovePKCEMethod()
	if err := v.AddTOTP(Username, "JBSWY3DPEHPK3PXP"); err != nil {
		t.Fatal(err)
	}
	if err := v.AddTOTP("nobody", "JBSWY3DPEHPK3PXP"); err == nil {
		t.Error("AddTOTP for an unknown user succeeded")
	}
	// The shipped realm is unchanged.
	if shipped.Name() != "pkcecheck" || shipped.Client(PublicClientID)["consentRequired"] != false ||
		len(objects(shipped.User(Username)["credentials"])) != 1 {
		t.Fatal("Variant changed the shipped realm")
	}
	if v.Name() != "other" || v.Client(ConfidentialClientID)["secret"] != "sec-Y" {
		t.Errorf("variant name %q secret %v", v.Name(), v.Client(ConfidentialClientID)["secret"])
	}
	if _, ok := v.Client(PublicClientID)["secret"]; ok {
		t.Error("a public client got a secret")
	}
	for _, c := range v.Clients() {
		if c["consentRequired"] != true {
			t.Errorf("%v: consent not required", c["clientId"])
		}
		if attrs, _ := c["attributes"].(map[string]any); attrs[PKCEMethodAttribute] != nil {
			t.Errorf("%v: PKCE method still set", c["clientId"])
		}
	}
	creds := objects(v.User(Username)["credentials"])
	if len(creds) != 2 || creds[0]["value"] != "pw-X" || creds[1]["type"] != "otp" {
		t.Fatalf("credentials %v", creds)
	}
	var secret, data map[string]any
	if err := json.Unmarshal([]byte(creds[1]["secretData"].(string)), &secret); err != nil || secret["value"] != "JBSWY3DPEHPK3PXP" {
		t.Errorf("secretData %v (%v)", creds[1]["secretData"], err)
	}
	if err := json.Unmarshal([]byte(creds[1]["credentialData"].(string)), &data); err != nil ||
		data["subType"] != "totp" || data["secretEncoding"] != "BASE32" || data["period"] != 30.0 || data["digits"] != 6.0 {
		t.Errorf("credentialData %v (%v)", creds[1]["credentialData"], err)
	}
}

func TestProviderEnv(t *testing.T) {
	got := process.Env([]string{"PATH=/bin", "KC_ISSUER=x", "KC_DB=postgres", "KEYCLOAK_ADMIN=a",
		"QUARKUS_HTTP_PORT=1", "JAVA_OPTS_APPEND=-X", "JAVA_HOME=/j", "HOME=/root", "JAVA_TOOL_OPTIONS=-y"}, keepEnv)
	if want := []string{"PATH=/bin", "HOME=/root"}; !slices.Equal(got, want) {
		t.Errorf("Env = %v, want %v", got, want)
	}
}

func TestStartArgsStayOnLoopback(t *testing.T) {
	args := strings.Join(startArgs(4242), " ")
	for _, want := range []string{"start --optimized", "--http-host=127.0.0.1", "--http-port=4242", "--cache=local", "--import-realm"} {
		if !strings.Contains(args, want) {
			t.Errorf("start arguments %q lack %q", args, want)
		}
	}
}
