package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/okta"
	"github.com/pkcecheck/pkcecheck/results"
)

// The Okta emulator run's secrets, distinctive so that no report or
// console line may contain them.
const (
	oktaPassword   = "okta-pw-Heron-Quill-93"
	oktaConfSecret = "okta-conf-secret-Lynx-08c1"
	oktaTOTPSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32, 20 bytes
	// oktaWrongPassword is the password of the failing login.
	oktaWrongPassword = "okta-wrong-pw-Egret-41"
)

// oktaExpected is what pkcecheck must report against the emulated Okta org
// (e2e/providers/okta) under the shipped profile, for both widget
// generations: the emulator is a correct server, so every check passes,
// except those the emulator's deliberate Okta-like choices make skip.
var oktaExpected = func() map[string][]results.Status {
	m := map[string][]results.Status{}
	for _, id := range []string{
		"rfc7636.s256-roundtrip", "rfc7636.verifier-missing", "rfc7636.verifier-empty", "rfc7636.verifier-mismatch",
		"rfc7636.verifier-swapped", "rfc7636.method-bound", "rfc7636.verifier-length", "rfc7636.verifier-charset",
		"rfc7636.challenge-missing", "rfc7636.challenge-format", "rfc7636.method-unsupported", "rfc7636.method-default",
		"rfc7636.plain-policy", "rfc6749.error-response", "rfc6749.error-charset", "rfc6749.code-single-use",
		"rfc6749.reuse-revokes", "rfc6749.code-race", "rfc6749.code-race-mixed", "rfc6749.code-client-bound",
		"rfc6749.redirect-uri-bound", "rfc6749.no-store", "rfc6749.duplicate-params", "rfc9700.downgrade",
		"rfc9700.confidential-pkce", "rfc8414.methods-advertised", "rfc7636.method-without-challenge",
		"rfc9700.pkce-per-auth-method", "rfc9207.iss-required", "rfc7636.challenge-not-echoed",
		// Measured: a failed verifier burns the code; iss on error redirects.
		"info.failed-verifier-burns-code", "info.error-iss",
	} {
		m[id] = []results.Status{results.Pass}
	}
	for _, id := range []string{
		// The shipped profile lists no response modes besides query and no
		// redirect URI with a query.
		"rfc7636.form-post-enforced", "rfc7636.fragment-enforced", "rfc6749.redirect-keeps-query",
		// As on Okta, refresh tokens come only with offline_access, which the
		// profile does not ask for.
		"rfc6749.refresh-after-pkce", "rfc6749.replay-revokes-refresh",
		// The emulated org advertises no PAR endpoint.
		"rfc9126.par-pkce-validated", "rfc9126.par-request-uri-once", "rfc9126.par-client-bound", "rfc9126.par-front-channel-override",
		// OAuth 2.1 draft 16 only (the shipped profile is base).
		"policy.oauth21-method-required", "policy.oauth21-plain-prohibited",
	} {
		m[id] = []results.Status{results.Skip}
	}
	return m
}()

// startOktaOrg starts the emulator for one test.
func startOktaOrg(t *testing.T, opts okta.Options) *okta.Server {
	t.Helper()
	opts.Password, opts.ConfidentialSecret = oktaPassword, oktaConfSecret
	return okta.StartForTest(t, opts)
}

// oktaEnv is profiles/okta.yaml's environment for the emulator.
func oktaEnv(s *okta.Server, totpSecret string) []string {
	return []string{
		"OKTA_ISSUER=" + s.Issuer(), "OKTA_USER=" + okta.Username, "OKTA_PASSWORD=" + oktaPassword,
		"OKTA_PUBLIC_CLIENT_ID=" + okta.PublicClientID, "OKTA_CONF_CLIENT_ID=" + okta.ConfidentialClientID,
		"OKTA_OTHER_CLIENT_ID=" + okta.OtherClientID, "OKTA_CONF_SECRET=" + oktaConfSecret,
		"OKTA_TOTP_SECRET=" + totpSecret,
	}
}

// oktaCases are the two orgs the shipped profile runs against: Gen2 with
// identifier and password on one page, Gen3 identifier first with Google
// Authenticator, "Stay signed in" and consent.
var oktaCases = []struct {
	name  string
	opts  okta.Options
	steps []string // the IDX requests of the one browser login
}{
	{"Gen2 identifier and password", okta.Options{Gen: okta.Gen2, IdentifyWithPassword: true},
		[]string{"introspect", "identify"}},
	{"Gen3 identifier first, TOTP, consent", okta.Options{Gen: okta.Gen3, TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true},
		[]string{"introspect", "identify", "challenge/answer", "challenge", "challenge/answer", "keep-me-signed-in", "consent"}},
}

// TestRunOkta runs the shipped okta.yaml, unchanged, through the real
// Sign-In Widget on the emulator, for each of oktaCases: the whole
// catalogue, every result as expected, one browser login.
func TestRunOkta(t *testing.T) {
	for _, tt := range oktaCases {
		t.Run(tt.name, func(t *testing.T) {
			s := startOktaOrg(t, tt.opts)
			began := time.Now()
			r := pkcecheck(t, oktaEnv(s, tt.opts.TOTPSecret), "run", "--profile", "../../profiles/okta.yaml")
			t.Logf("pkcecheck run against the %s widget %s took %v", tt.opts.Gen, okta.WidgetVersion, time.Since(began).Round(time.Millisecond))
			if r.code != exitOK {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitOK, r.stdout, r.stderr)
			}
			checkExpected(t, r, "the Okta emulator", oktaExpected)
			if st := r.run.Stats; r.run.Target.Issuer != s.Issuer() || st.Logins != 1 || st.CodesMinted < 40 {
				t.Errorf("target %+v stats %+v, want issuer %s, one login and the codes of a full run", r.run.Target, st, s.Issuer())
			}
			// The login, then only a consent page per further client (the
			// org keeps consent per client; the SSO session stands in for
			// the factors).
			got := oktaIDXSteps(s)
			ok := len(got) >= len(tt.steps) && slices.Equal(got[:len(tt.steps)], tt.steps)
			rest := got[min(len(got), len(tt.steps)):]
			for len(rest) >= 2 && rest[0] == "introspect" && rest[1] == "consent" {
				rest = rest[2:]
			}
			if !ok || len(rest) > 0 {
				t.Errorf("the widget sent %q, want %q, then introspect and consent for each further client", got, tt.steps)
			}
			assertNoSecrets(t, r, oktaPassword, oktaConfSecret, oktaTOTPSecret)
		})
	}
}

// TestRunOktaWrongPassword: a wrong password through the real widget ends
// the run with exit 3 (no login), and the page saved for the failure shows
// the widget's own message: "Unable to sign in" (Okta's errors.E0000004,
// translated by the widget) on the identifier-and-password page, "Password
// is incorrect" on the password page of an identifier-first org.
func TestRunOktaWrongPassword(t *testing.T) {
	messages := []string{"Unable to sign in", "Password is incorrect"}
	for i, tt := range oktaCases {
		t.Run(tt.name, func(t *testing.T) {
			s := startOktaOrg(t, tt.opts)
			env := oktaEnv(s, tt.opts.TOTPSecret)
			env = append(env, "OKTA_PASSWORD="+oktaWrongPassword)
			r := pkcecheck(t, env, "run", "--profile", "../../profiles/okta.yaml")
			if r.code != exitUnreachable {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, r.stdout, r.stderr)
			}
			texts := outputTexts(t, r)
			page, ok := texts["login-failure-1.html"]
			if !ok {
				t.Fatalf("no login-failure-1.html saved (files: %v)\nstderr:\n%s", keys(texts), r.stderr)
			}
			if !strings.Contains(page, messages[i]) {
				t.Errorf("the saved page does not show %q:\n%.2000s", messages[i], page)
			}
			t.Logf("stderr:\n%s", r.stderr)
			checkNoSecrets(t, texts, []string{oktaPassword, oktaWrongPassword, oktaConfSecret, oktaTOTPSecret})
		})
	}
}

// oktaIDXSteps are the IDX requests the emulator saw, in order.
func oktaIDXSteps(s *okta.Server) []string {
	var out []string
	for _, r := range s.Requests() {
		if p, ok := strings.CutPrefix(r, "POST /idp/idx/"); ok {
			out = append(out, p)
		}
	}
	return out
}
