package browser

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/okta"
)

// The Okta emulator's test user's password and TOTP secret (base32).
const (
	oktaPassword   = "Okta-Widget-Passw0rd-4e1b"
	oktaTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// startOkta starts the Okta emulator (the real Sign-In Widget of opts.Gen)
// for one test.
func startOkta(t *testing.T, opts okta.Options) *okta.Server {
	t.Helper()
	opts.Password, opts.ConfidentialSecret = oktaPassword, "okta-conf-secret-test"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := okta.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start okta emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("%v", err)
		}
	})
	return s
}

// oktaWidgetEnv is okta.yaml's environment for the emulator.
func oktaWidgetEnv(s *okta.Server, totp bool) map[string]string {
	env := map[string]string{
		"OKTA_ISSUER": s.Issuer(), "OKTA_USER": okta.Username, "OKTA_PASSWORD": oktaPassword,
		"OKTA_PUBLIC_CLIENT_ID": okta.PublicClientID, "OKTA_CONF_CLIENT_ID": okta.ConfidentialClientID,
		"OKTA_OTHER_CLIENT_ID": okta.OtherClientID, "OKTA_CONF_SECRET": "okta-conf-secret-test",
	}
	if totp {
		env["OKTA_TOTP_SECRET"] = oktaTOTPSecret
	}
	return env
}

// idxSteps are the IDX requests and the final redirect the emulator saw.
func idxSteps(s *okta.Server) []string {
	var out []string
	for _, r := range s.Requests() {
		if p, ok := strings.CutPrefix(r, "POST /idp/idx/"); ok {
			out = append(out, p)
		} else if strings.HasPrefix(r, "GET /login/token/redirect") {
			out = append(out, "redirect")
		}
	}
	return out
}

// TestOktaProfileAgainstWidget: the unchanged shipped okta.yaml logs in
// through the real Sign-In Widget, Gen2 and Gen3, and ends on the redirect
// with a code.
func TestOktaProfileAgainstWidget(t *testing.T) {
	tests := []struct {
		name  string
		opts  okta.Options
		steps []string
	}{
		{"password, Google Authenticator, stay signed in, consent",
			okta.Options{TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true},
			[]string{"introspect", "identify", "challenge/answer", "challenge", "challenge/answer", "keep-me-signed-in", "consent", "redirect"}},
		{"identifier with password, no consent",
			okta.Options{IdentifyWithPassword: true},
			[]string{"introspect", "identify", "redirect"}},
	}
	for _, gen := range []okta.Generation{okta.Gen2, okta.Gen3} {
		for _, tt := range tests {
			t.Run(gen.String()+"/"+tt.name, func(t *testing.T) {
				tt.opts.Gen = gen
				s := startOkta(t, tt.opts)
				p := shippedProfile(t, "okta.yaml", oktaWidgetEnv(s, tt.opts.TOTPSecret != ""))
				r := loginThrough(t, p, p.Issuer+"/v1/authorize", Options{})
				t.Logf("requests: %q", s.Requests())
				if r.err != nil {
					t.Fatalf("Authorize: %v\nlog:\n%s", r.err, r.logs.all())
				}
				if r.resp.Code == "" || r.resp.State != r.state {
					t.Fatalf("Authorize = %+v, want a code and state %q", r.resp, r.state)
				}
				if got := idxSteps(s); !slices.Equal(got, tt.steps) {
					t.Errorf("IDX steps %q, want %q", got, tt.steps)
				}
			})
		}
	}
}
