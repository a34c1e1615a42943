package profiles

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// placeholderEnv sets every variable to a value that fits where such a
// variable goes: a URL for issuers, a base32 key for TOTP secrets, nothing
// for CA files (the optional tls.ca_file), a word otherwise.
func placeholderEnv(name string) (string, bool) {
	switch {
	case strings.HasSuffix(name, "_CA_FILE"):
		return "", true
	case strings.Contains(name, "ISSUER"):
		return "https://idp.example.com/realms/placeholder", true
	case strings.Contains(name, "TOTP"):
		return "JBSWY3DPEHPK3PXP", true
	}
	return "placeholder-" + strings.ToLower(name), true
}

// varRef finds ${NAME} and ${NAME:-default} references.
var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// TestShippedProfilesValidate: every profiles/*.yaml loads with its
// variables set, and without them names each required variable.
func TestShippedProfilesValidate(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"keycloak.yaml", "okta.yaml", "auth0.yaml", "node-oidc-provider.yaml"} {
		if !slices.Contains(files, want) {
			t.Errorf("profiles/%s is missing (found %v)", want, files)
		}
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(f, data, placeholderEnv)
			if err != nil {
				t.Fatalf("Parse with placeholders:\n%v", err)
			}
			if p.Clients.Public == nil || len(p.Login.Steps) == 0 {
				t.Errorf("%s: no public client or no login steps", f)
			}
			for _, s := range append(append([]Step(nil), p.Login.Steps...), p.Login.Consent...) {
				if s.Line == 0 || s.Selector() == "" {
					t.Errorf("%s: step %+v has no line or no selector", f, s)
				}
			}

			// Without the environment, each variable without a default is
			// named in an error, at its line.
			_, err = Parse(f, data, nil)
			required := map[string]bool{}
			for _, m := range varRef.FindAllStringSubmatch(string(data), -1) {
				if m[2] == "" && !isComment(string(data), m[0]) {
					required[m[1]] = true
				}
			}
			for name := range required {
				if err == nil || !strings.Contains(err.Error(), "environment variable "+name+" is not set") {
					t.Errorf("%s without %s: error %v does not name it", f, name, err)
				}
			}
			if len(required) == 0 && err != nil {
				t.Errorf("%s needs no variable but fails without them: %v", f, err)
			}
		})
	}
}

// isComment reports whether every occurrence of ref in data is in a
// comment line.
func isComment(data, ref string) bool {
	for _, line := range strings.Split(data, "\n") {
		if i := strings.Index(line, ref); i >= 0 && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			return false
		}
	}
	return true
}

// The forms okta.yaml's submit steps are scoped to, quoted as in
// TestShippedProfileSteps: each step's selector lists the Gen2 widget's
// button ([data-type="save"]) and the Gen3 widget's (button[data-se="save"]).
const (
	oktaIdentifierOnly = `form:has(input[name=\"identifier\"]):not(:has(input[type=\"password\"]))`
	oktaPasswordForm   = `form:has(input[name=\"credentials.passcode\"][type=\"password\"])`
	oktaCodeForm       = `form:has(input[name=\"credentials.passcode\"]:not([type=\"password\"]))`
)

// TestShippedProfileSteps pins the step sequences the lookalike pages in
// drivers/browser were built to match.
func TestShippedProfileSteps(t *testing.T) {
	want := map[string][]string{
		"keycloak.yaml": {
			`fill "#username"`, `fill "#password"`, `click "#kc-form-login #kc-login"`,
			`totp "#kc-otp-login-form #otp" optional`, `click "#kc-otp-login-form #kc-login" optional`,
			`consent click "#kc-login[name=\"accept\"]"`,
		},
		"okta.yaml": {
			`fill "input[name=\"identifier\"]"`,
			`click_if_present "` + oktaIdentifierOnly + ` [data-type=\"save\"], ` + oktaIdentifierOnly + ` button[data-se=\"save\"]" optional`,
			`fill "input[name=\"credentials.passcode\"][type=\"password\"]"`,
			`click "` + oktaPasswordForm + ` [data-type=\"save\"], ` + oktaPasswordForm + ` button[data-se=\"save\"]"`,
			`click_if_present ".authenticator-button[data-se=\"google_otp\"] a, button[data-se=\"authenticator-button\"]:has([data-se=\"google_otp\"])" optional`,
			`totp "input[name=\"credentials.passcode\"]:not([type=\"password\"])" optional`,
			`click "` + oktaCodeForm + ` [data-type=\"save\"], ` + oktaCodeForm + ` button[data-se=\"save\"]" optional`,
			`consent click_text "Stay signed in"`, `consent click_text "Allow Access"`,
		},
		"auth0.yaml": {
			`fill "input#username, .auth0-lock-widget input[name=\"email\"], .auth0-lock-widget input[name=\"username\"]"`,
			`click_if_present "form._form-login-id button[type=\"submit\"][name=\"action\"][value=\"default\"]" optional`,
			`fill "input#password, .auth0-lock-widget input[name=\"password\"]"`,
			`click "form:has(input#password) button[type=\"submit\"][name=\"action\"][value=\"default\"], .auth0-lock-widget button.auth0-lock-submit"`,
			`consent click "button[type=\"submit\"][name=\"action\"][value=\"accept\"]"`,
		},
	}
	for f, steps := range want {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(f, data, placeholderEnv)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range p.Login.Steps {
			d := s.Kind() + " " + strconv.Quote(s.Selector())
			if s.IsOptional() {
				d += " optional"
			}
			got = append(got, d)
		}
		for _, s := range p.Login.Consent {
			got = append(got, "consent "+s.Kind()+" "+strconv.Quote(s.Selector()))
		}
		if !slices.Equal(got, steps) {
			t.Errorf("%s steps:\n  %s\nwant\n  %s", f, strings.Join(got, "\n  "), strings.Join(steps, "\n  "))
		}
		// Secrets taken from the environment are marked secret.
		for _, s := range p.Login.Steps {
			if s.Kind() == KindTOTP && !slices.Contains(p.Secrets(), s.Secret) {
				t.Errorf("%s: the TOTP secret is not among Secrets()", f)
			}
		}
	}
}
