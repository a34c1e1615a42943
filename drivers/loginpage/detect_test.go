package loginpage

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

var (
	creds     = Creds{Username: "${USER}", Password: "${PASSWORD}"}
	credsTOTP = Creds{Username: "${USER}", Password: "${PASSWORD}", TOTPSecret: "${TOTP_SECRET}"}
)

// step is an expected action: its kind and selector.
type step struct{ kind, sel string }

func TestDetect(t *testing.T) {
	tests := []struct {
		fixture string
		creds   Creds
		kind    Kind
		steps   []step
		message string
	}{
		{"keycloak-login.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", "#kc-login"}}, ""},
		{"keycloak-login-error.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", "#kc-login"}}, "Invalid username or password."},
		{"keycloak-login-username.html", creds, KindIdentifier, []step{{"fill", "#username"}, {"click", "#kc-login"}}, ""},
		{"keycloak-login-password.html", creds, KindPassword, []step{{"fill", "#password"}, {"click", "#kc-login"}}, ""},
		{"keycloak-otp.html", credsTOTP, KindOTP, []step{{"totp", "#otp"}, {"click", "#kc-login"}}, ""},
		{"keycloak-consent.html", creds, KindConsent, []step{{"click", "#kc-login"}}, ""},
		{"dex-password.html", creds, KindLogin, []step{{"fill", "#login"}, {"fill", "#password"}, {"click", "#submit-login"}}, ""},
		{"dex-approval.html", creds, KindConsent, []step{{"click", "button.theme-btn--success"}}, ""},
		{"nodeoidc-login.html", creds, KindLogin, []step{{"fill", `input[name="login"]`}, {"fill", `input[name="password"]`}, {"click", "button.login"}}, ""},
		{"nodeoidc-consent.html", creds, KindConsent, []step{{"click", "button.login"}}, ""},
		{"hydra-app-login.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", "#login-submit"}}, ""},
		{"hydra-app-consent.html", creds, KindConsent, []step{{"click", "#consent-accept"}}, ""},
		{"hydra-sample-login.html", creds, KindLogin, []step{{"fill", "#email"}, {"fill", "#password"}, {"click", "#accept"}}, ""},
		{"hydra-sample-consent.html", Creds{Scopes: []string{"openid", "profile"}}, KindConsent, []step{{"click", "#openid"}, {"click", "#profile"}, {"click", "#accept"}}, ""},
		{"refidp-login.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", "#login"}}, ""},
		{"refidp-identifier.html", creds, KindIdentifier, []step{{"fill", "#username"}, {"click", "#next"}}, ""},
		{"refidp-password.html", creds, KindPassword, []step{{"fill", "#password"}, {"click", "#login"}}, "Wrong user name or password."},
		{"refidp-consent.html", creds, KindConsent, []step{{"click", "#approve"}}, ""},
		{"okta2-identify.html", creds, KindIdentifier, []step{{"fill", `input[name="identifier"]`}, {"click", `input[data-type="save"]`}}, ""},
		{"okta2-password.html", creds, KindPassword, []step{{"fill", `input[name="credentials.passcode"]`}, {"click", `input[data-type="save"]`}}, ""},
		{"okta2-authenticators.html", credsTOTP, KindFactorChoice, []step{{"click", `a[aria-label="Select Google Authenticator."]`}}, ""},
		{"okta2-otp.html", credsTOTP, KindOTP, []step{{"totp", `input[name="credentials.passcode"]`}, {"click", `input[data-type="save"]`}}, ""},
		{"okta2-kmsi.html", creds, KindInterstitial, []step{{"click", `a[data-se="stay-signed-in-btn"]`}}, ""},
		{"okta2-consent.html", creds, KindConsent, []step{{"click", `input[data-type="save"]`}}, ""},
		{"okta3-identify.html", creds, KindIdentifier, []step{{"fill", `input[data-se="identifier"]`}, {"click", `button[data-se="save"]`}}, ""},
		{"okta3-identify-password.html", creds, KindLogin, []step{{"fill", `input[data-se="identifier"]`}, {"fill", `input[data-se="credentials.passcode"]`}, {"click", `button[data-se="save"]`}}, ""},
		{"okta3-password-error.html", creds, KindPassword, []step{{"fill", `input[data-se="credentials.passcode"]`}, {"click", `button[data-se="save"]`}}, "Password is incorrect"},
		{"okta3-authenticators.html", credsTOTP, KindFactorChoice, []step{{"click", `button[aria-label="Select Google Authenticator."]`}}, ""},
		{"okta3-authenticators-password.html", credsTOTP, KindFactorChoice, []step{{"click", `button[aria-label="Select Password."]`}}, ""},
		{"okta3-otp.html", credsTOTP, KindOTP, []step{{"totp", `input[data-se="credentials.passcode"]`}, {"click", `button[data-se="save"]`}}, ""},
		{"okta3-kmsi.html", creds, KindInterstitial, []step{{"click", `button[data-se="stay-signed-in-btn"]`}}, ""},
		{"okta3-consent.html", creds, KindConsent, []step{{"click", `button[data-se="save"]`}}, ""},
		{"auth0-login.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", `button[name="action"]`}}, ""},
		{"auth0-identifier.html", creds, KindIdentifier, []step{{"fill", "#username"}, {"click", `button[name="action"]`}}, ""},
		{"auth0-password-error.html", creds, KindPassword, []step{{"fill", "#password"}, {"click", `button[name="action"]`}}, "Wrong email or password"},
		{"auth0-consent.html", creds, KindConsent, []step{{"click", `button[name="action"][value="accept"]`}}, ""},
		{"entra-kmsi.html", creds, KindInterstitial, []step{{"click", "#idSIButton9"}}, ""},
		{"spring-login.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", "button.primary"}}, ""},
		{"spring-login-error.html", creds, KindLogin, []step{{"fill", "#username"}, {"fill", "#password"}, {"click", "button.primary"}}, "Bad credentials"},
		{"spring-consent.html", Creds{Scopes: []string{"openid", "profile", "email"}}, KindConsent, []step{{"click", "#profile"}, {"click", "#email"}, {"click", "#submit-consent"}}, ""},
		{"django-login.html", creds, KindLogin, []step{{"fill", "#id_username"}, {"fill", "#id_password"}, {"click", `form#login-form input[type="submit"]`}},
			"Please enter a correct username and password. Note that both fields may be case-sensitive."},
		{"django-authorize.html", creds, KindConsent, []step{{"click", `input[name="allow"]`}}, ""},
		{"search-and-login.html", creds, KindLogin, []step{{"fill", "#login_field"}, {"fill", "#password"}, {"click", `input[name="commit"]`}}, ""},
		{"cancel-first.html", creds, KindLogin, []step{{"fill", `input[name="j_username"]`}, {"fill", `input[name="j_password"]`}, {"click", `button[name="op"][value="login"]`}}, ""},
		{"show-password.html", creds, KindLogin, []step{{"fill", "#user"}, {"fill", "#pw"}, {"click", "button.btn"}}, ""},
		{"german-login.html", creds, KindLogin, []step{{"fill", "#f1"}, {"fill", "#f2"}, {"click", "button.y"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			p, doc := loadFixture(t, tt.fixture)
			plan, err := Detect(p, tt.creds)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if plan.Kind != tt.kind {
				t.Errorf("kind %q, want %q", plan.Kind, tt.kind)
			}
			if plan.Message != tt.message {
				t.Errorf("message %q, want %q", plan.Message, tt.message)
			}
			var got []step
			for _, a := range plan.Actions {
				got = append(got, step{a.Step.Kind(), a.Step.Selector()})
				checkSelector(t, p, doc, a.Control, a.Step.Selector())
				if a.Why == "" {
					t.Errorf("action on %s says nothing of how it was found", a.Step.Selector())
				}
				checkValues(t, a.Step, tt.creds)
			}
			if !slices.Equal(got, tt.steps) {
				t.Errorf("steps\n got %v\nwant %v", got, tt.steps)
				for _, a := range plan.Actions {
					t.Logf("  %s %s: %s", a.Step.Kind(), a.Step.Selector(), a.Why)
				}
			}
		})
	}
}

// checkValues checks that fills carry the user name or password and totp
// steps the secret.
func checkValues(t *testing.T, s profiles.Step, c Creds) {
	t.Helper()
	switch s.Kind() {
	case profiles.KindFill:
		if s.Value != c.Username && s.Value != c.Password {
			t.Errorf("fill %s types %q", s.Fill, s.Value)
		}
	case profiles.KindTOTP:
		if s.Secret != c.TOTPSecret {
			t.Errorf("totp %s has secret %q", s.TOTP, s.Secret)
		}
	}
}

// TestDetectNotFound: pages detection must not act on, each with why.
func TestDetectNotFound(t *testing.T) {
	tests := []struct {
		fixture string
		creds   Creds
		reason  string
	}{
		{"keycloak-register.html", creds, "new password"},
		{"captcha.html", creds, "CAPTCHA"},
		{"keycloak-otp.html", creds, "totp_secret"},
		{"okta2-authenticators.html", creds, "totp_secret"},
		{"okta3-authenticators.html", creds, "totp_secret"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			p, _ := loadFixture(t, tt.fixture)
			plan, err := Detect(p, tt.creds)
			var nf *NotFound
			if !errors.As(err, &nf) {
				t.Fatalf("Detect = %+v, %v; want *NotFound", plan, err)
			}
			if nf.Page != p || !strings.Contains(nf.Error(), tt.reason) {
				t.Errorf("error %q, want one naming %q and carrying the page", nf.Error(), tt.reason)
			}
			if strings.Contains(nf.Error(), "st-secret-1") || strings.Contains(nf.Error(), "ch-secret-2") {
				t.Errorf("error shows the state or challenge: %q", nf.Error())
			}
		})
	}
}

// TestConsentWithRememberText: a consent page that offers to remember the
// choice is still consent, its scope boxes ticked.
func TestConsentWithRememberText(t *testing.T) {
	p, err := FromHTML(nil, []byte(`<h1>Authorize app</h1><form method="post"><label><input type="checkbox" name="scope" value="email"> email</label>`+
		`<label><input type="checkbox" name="remember"> Remember me on this device: stay signed in</label><button name="approve">Allow</button></form>`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Detect(p, Creds{Scopes: []string{"email"}})
	if err != nil || strings.Join(planSteps(plan), ",") != `consent,click input[name="scope"],click button[name="approve"]` {
		t.Errorf("Detect = %v, %v", planSteps(plan), err)
	}
}

// TestImageButton: an <input type=image> submits by its alt text.
func TestImageButton(t *testing.T) {
	p, err := FromHTML(nil, []byte(`<form method="post"><input name="user" type="text"><input name="pw" type="password">`+
		`<input type="image" src="/help.png" alt="Help"><input type="image" src="/go.png" alt="Log in"></form>`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Detect(p, creds)
	if err != nil || strings.Join(planSteps(plan), ",") != `login,fill input[name="user"],fill input[name="pw"],click html > body > form > input:nth-of-type(4)` {
		t.Errorf("Detect = %v, %v", planSteps(plan), err)
	}
}

// TestMaskedOTP: a password-type field named for a one-time code gets the
// code, never the password.
func TestMaskedOTP(t *testing.T) {
	p, err := FromHTML(nil, []byte(`<form method="post"><label for="totp">Authenticator code</label><input id="totp" name="totp" type="password"><button>Verify</button></form>`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Detect(p, credsTOTP)
	if err != nil || strings.Join(planSteps(plan), ",") != `otp,totp #totp,click button` {
		t.Errorf("Detect = %v, %v", planSteps(plan), err)
	}
}

// TestNeverPressesDeny: pages whose only buttons cancel, deny, sign up or
// search are not acted on.
func TestNeverPressesDeny(t *testing.T) {
	for name, body := range map[string]string{
		"only cancel on consent":   `<form method="post"><input type="hidden" name="consent_challenge" value="x"><button name="cancel">Cancel</button><button name="deny">Deny access</button></form>`,
		"only register on login":   `<form method="post"><input name="username"><input name="password" type="password"><button>Create account</button></form>`,
		"a lone search box":        `<form action="/s"><input name="q"><button>Go</button></form>`,
		"an account-picker":        `<h1>Pick an account</h1><button class="tile">alice@example.com</button><button class="tile">bob@example.com</button>`,
		"a back link on an error":  `<h1>Error</h1><p>Invalid request</p><a href="/">Back to application</a>`,
		"a code split over boxes":  `<form method="post"><label>Enter the code</label>` + strings.Repeat(`<input name="otp[]" maxlength="1" inputmode="numeric" autocomplete="one-time-code">`, 6) + `<button>Verify</button></form>`,
		"new-password change form": `<form method="post"><input name="password-new" type="password"><input name="password-confirm" type="password"><button>Submit</button></form>`,
	} {
		t.Run(name, func(t *testing.T) {
			p, err := FromHTML(nil, []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			plan, err := Detect(p, credsTOTP)
			var nf *NotFound
			if !errors.As(err, &nf) {
				t.Errorf("Detect = %v, %v; want *NotFound", planSteps(plan), err)
			}
		})
	}
}
