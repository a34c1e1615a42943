package browser

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providers/auth0"
	"github.com/pkcecheck/pkcecheck/e2e/providers/okta"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestDetectedLoginAgainstRealWidgets: the vendors' real login front ends
// on their local emulators log in from the user name and password alone
// (and the TOTP secret), with every host but 127.0.0.1 unresolvable: the
// Okta Sign-In Widget 7.49.0 (Gen2 identifier and password on one page;
// Gen2 and Gen3 identifier first with Google Authenticator, "Stay signed
// in" and consent) and Auth0 Lock 14.3.0 with consent. (They replace the
// Okta lookalikes this test ran on before.)
func TestDetectedLoginAgainstRealWidgets(t *testing.T) {
	oktaCase := func(opts okta.Options) func(t *testing.T) (*profiles.Profile, string, string, string, func() []string) {
		return func(t *testing.T) (*profiles.Profile, string, string, string, func() []string) {
			s := startOkta(t, opts)
			p := shippedProfile(t, "okta.yaml", oktaWidgetEnv(s, opts.TOTPSecret != ""))
			return p, p.Issuer + "/v1/authorize", okta.Username, oktaPassword, s.NotFound
		}
	}
	for _, tt := range []struct {
		name  string
		totp  string
		start func(t *testing.T) (p *profiles.Profile, endpoint, user, password string, notFound func() []string)
	}{
		{"Okta Gen2 identifier with password", "", oktaCase(okta.Options{Gen: okta.Gen2, IdentifyWithPassword: true})},
		{"Okta Gen2 TOTP, stay signed in, consent", oktaTOTPSecret, oktaCase(okta.Options{Gen: okta.Gen2, TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true})},
		{"Okta Gen3 TOTP, stay signed in, consent", oktaTOTPSecret, oktaCase(okta.Options{Gen: okta.Gen3, TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true})},
		{"Auth0 Lock with consent", "", func(t *testing.T) (*profiles.Profile, string, string, string, func() []string) {
			s, env := startAuth0Lock(t, auth0.Options{Consent: true})
			return shippedProfile(t, "auth0.yaml", env), s.Origin() + "/authorize", auth0.Username, auth0LockPassword, s.NotFound
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			given, endpoint, user, password, notFound := tt.start(t)
			p, opts := detectedAs(given, user, password, tt.totp, "127.0.0.1")
			opts.CACerts, opts.extraResolverRules = given.TLS.CAPEM, offlineRules
			r := loginThrough(t, p, endpoint, opts)
			if r.err != nil {
				t.Fatalf("Authorize: %v\nlog:\n%s", r.err, r.logs.all())
			}
			if r.resp.Code == "" || r.resp.State != r.state || r.resp.Error != "" {
				t.Fatalf("Authorize = %+v, want a code and state %q", r.resp, r.state)
			}
			wantDetected(t, r.b)
			if missing := notFound(); len(missing) > 0 {
				t.Errorf("the front end asked for what the emulator does not serve: %q", missing)
			}
			if log := r.logs.all(); strings.Contains(log, password) {
				t.Error("the log shows the password")
			}
		})
	}
}
