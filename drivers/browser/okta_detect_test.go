package browser

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providers/okta"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// oktaDetected is okta.yaml for s with its login and consent steps
// dropped: the browser finds its way through the real widget with the
// account alone (user name, password, the TOTP secret when set), typing
// only on 127.0.0.1.
func oktaDetected(t *testing.T, s *okta.Server, password, totp string) (*profiles.Profile, Options) {
	t.Helper()
	p := shippedProfile(t, "okta.yaml", oktaWidgetEnv(s, totp != ""))
	p.Login = profiles.Login{Steps: []profiles.Step{}} // not nil: the test browser would take its default steps
	d := &Detection{Username: okta.Username, Password: password, TOTPSecret: totp, Allowed: allowHosts("127.0.0.1")}
	return p, Options{Login: []profiles.Step{}, Detect: d, extraResolverRules: offlineRules}
}

// TestDetectedLoginAgainstOktaWidget: the real Sign-In Widget, Gen2 and
// Gen3, logs in from the user name and password alone (and the TOTP
// secret), through the same IDX steps as the shipped profile's
// hand-written steps, every step detected.
func TestDetectedLoginAgainstOktaWidget(t *testing.T) {
	full := []string{"introspect", "identify", "challenge/answer", "challenge", "challenge/answer", "keep-me-signed-in", "consent", "redirect"}
	tests := []struct {
		name  string
		opts  okta.Options
		steps []string
	}{
		{"Gen2 password, Google Authenticator, stay signed in, consent",
			okta.Options{Gen: okta.Gen2, TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true}, full},
		{"Gen3 password, Google Authenticator, stay signed in, consent",
			okta.Options{Gen: okta.Gen3, TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true}, full},
		{"Gen2 password, stay signed in",
			okta.Options{Gen: okta.Gen2, KeepMeSignedIn: true},
			[]string{"introspect", "identify", "challenge/answer", "keep-me-signed-in", "redirect"}},
		{"Gen3 identifier with password on one page",
			okta.Options{Gen: okta.Gen3, IdentifyWithPassword: true},
			[]string{"introspect", "identify", "redirect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startOkta(t, tt.opts)
			p, opts := oktaDetected(t, s, oktaPassword, tt.opts.TOTPSecret)
			r := loginThrough(t, p, p.Issuer+"/v1/authorize", opts)
			if r.err != nil {
				t.Fatalf("Authorize: %v\nlog:\n%s", r.err, r.logs.all())
			}
			if r.resp.Code == "" || r.resp.State != r.state {
				t.Fatalf("Authorize = %+v, want a code and state %q", r.resp, r.state)
			}
			if got := idxSteps(s); !slices.Equal(got, tt.steps) {
				t.Errorf("IDX steps %q, want %q", got, tt.steps)
			}
			steps := r.b.UsedSteps()
			if len(steps) == 0 {
				t.Fatal("no step recorded")
			}
			for _, st := range steps {
				if !IsDetected(st) {
					t.Errorf("step %+v was not detected", st)
				}
				for _, secret := range []string{okta.Username, oktaPassword, oktaTOTPSecret} {
					if strings.Contains(st.Step+st.How, secret) {
						t.Errorf("step %+v shows a value", st)
					}
				}
			}
		})
	}
}

// TestDetectedOktaWrongPassword: a password the org refuses is recognised
// from the widget's own message after one attempt, never retried, and the
// error quotes it, never the values typed.
func TestDetectedOktaWrongPassword(t *testing.T) {
	for _, gen := range []okta.Generation{okta.Gen2, okta.Gen3} {
		t.Run(gen.String(), func(t *testing.T) {
			s := startOkta(t, okta.Options{Gen: gen})
			wrong := "Okta-Wrong-Passw0rd-9"
			p, opts := oktaDetected(t, s, wrong, "")
			opts.ArtifactDir = t.TempDir()
			r := loginThrough(t, p, p.Issuer+"/v1/authorize", opts)
			var le *LoginError
			if !errors.As(r.err, &le) {
				t.Fatalf("Authorize = %+v, %v; want a LoginError", r.resp, r.err)
			}
			msg := le.Error()
			if !strings.Contains(msg, "login rejected") || !strings.Contains(msg, `"Password is incorrect"`) {
				t.Errorf("error = %v", msg)
			}
			for _, v := range []string{okta.Username, wrong} {
				if strings.Contains(msg, v) {
					t.Errorf("the error shows a typed value: %v", msg)
				}
			}
			if got, want := idxSteps(s), []string{"introspect", "identify", "challenge/answer"}; !slices.Equal(got, want) {
				t.Errorf("IDX steps %q, want %q (one attempt)", got, want)
			}
		})
	}
}
