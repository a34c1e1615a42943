package browser

import (
	"errors"
	"os"
	"regexp"
	"slices"
	"strconv"
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
	return okta.StartForTest(t, opts)
}

// offlineRules make every host but 127.0.0.1 unresolvable in Chromium:
// the widget runs with nothing from the network.
const offlineRules = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

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
// with a code after exactly the IDX steps the org's policy asks for. The
// optional steps give up early when their page does not come: the MFA
// steps after a password-only login, "Next" on an identifier-and-password
// page. (These replace the lookalike pages the widget was first tested
// against: every Okta screen the profile meets is the real widget's now.)
func TestOktaProfileAgainstWidget(t *testing.T) {
	tests := []struct {
		name    string
		opts    okta.Options
		steps   []string
		skipped []string // login steps skipped (their element never showed)
	}{
		{"password, Google Authenticator, stay signed in, consent",
			okta.Options{TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true},
			[]string{"introspect", "identify", "challenge/answer", "challenge", "challenge/answer", "keep-me-signed-in", "consent", "redirect"}, nil},
		{"password only, stay signed in, consent",
			okta.Options{KeepMeSignedIn: true, Consent: true},
			[]string{"introspect", "identify", "challenge/answer", "keep-me-signed-in", "consent", "redirect"}, []string{"5", "6", "7"}},
		{"password only, stay signed in",
			okta.Options{KeepMeSignedIn: true},
			[]string{"introspect", "identify", "challenge/answer", "keep-me-signed-in", "redirect"}, []string{"5", "6", "7"}},
		{"identifier with password on one page",
			okta.Options{IdentifyWithPassword: true},
			[]string{"introspect", "identify", "redirect"}, []string{"2"}},
	}
	for _, gen := range []okta.Generation{okta.Gen2, okta.Gen3} {
		for _, tt := range tests {
			t.Run(gen.String()+"/"+tt.name, func(t *testing.T) {
				tt.opts.Gen = gen
				s := startOkta(t, tt.opts)
				p := shippedProfile(t, "okta.yaml", oktaWidgetEnv(s, tt.opts.TOTPSecret != ""))
				r := loginThrough(t, p, p.Issuer+"/v1/authorize", Options{extraResolverRules: offlineRules})
				if r.err != nil {
					t.Fatalf("Authorize: %v\nlog:\n%s", r.err, r.logs.all())
				}
				if missing := s.NotFound(); len(missing) > 0 {
					t.Errorf("the widget asked for what the org does not serve: %q", missing)
				}
				if r.resp.Code == "" || r.resp.State != r.state || r.resp.Error != "" || !strings.HasPrefix(r.resp.Location, okta.RedirectURI+"?") {
					t.Fatalf("Authorize = %+v, want a code and state %q at %s", r.resp, r.state, okta.RedirectURI)
				}
				if got := idxSteps(s); !slices.Equal(got, tt.steps) {
					t.Errorf("IDX steps %q, want %q", got, tt.steps)
				}
				if r.b.Logins() != 1 {
					t.Errorf("Logins() = %d, want 1", r.b.Logins())
				}
				log := r.logs.all()
				for _, step := range []string{"2", "5", "6", "7"} {
					if skipped := strings.Contains(log, "login step "+step+" skipped"); skipped != slices.Contains(tt.skipped, step) {
						t.Errorf("login step %s skipped = %v, want %v:\n%s", step, skipped, !skipped, log)
					}
				}
				// Skipped early: the page had moved on (their grace times are
				// 2 s and 4 s).
				for _, step := range tt.skipped {
					if ms := stepMS(t, log, step); ms > 1500 {
						t.Errorf("login step %s was skipped after %d ms: it waited out its grace time", step, ms)
					}
				}
				for _, secret := range []string{oktaPassword, oktaTOTPSecret} {
					if strings.Contains(log, secret) {
						t.Errorf("the log shows a secret (%.6s…)", secret)
					}
				}
			})
		}
	}
}

// stepLine finds the log time (ms) of a login step's start and its skip.
var stepLine = regexp.MustCompile(`(?m)^\s*(\d+)ms authorize: login step (\d+)(:| skipped)`)

// stepMS is how long login step n took from its start to its skip.
func stepMS(t *testing.T, log, n string) int {
	t.Helper()
	began, ended := -1, -1
	for _, m := range stepLine.FindAllStringSubmatch(log, -1) {
		if m[2] != n {
			continue
		}
		ms, _ := strconv.Atoi(m[1])
		if m[3] == ":" {
			began = ms
		} else {
			ended = ms
		}
	}
	if began < 0 || ended < 0 {
		t.Fatalf("no start and skip of login step %s in the log:\n%s", n, log)
	}
	return ended - began
}

// selectorAlternatives splits a selector list at its top-level commas.
func selectorAlternatives(list string) []string {
	var out []string
	depth, from := 0, 0
	for i, c := range list {
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(list[from:i]))
				from = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(list[from:]))
}

// TestOktaProfileSelectorsPerGeneration: each step of okta.yaml that
// lists a Gen2 and a Gen3 selector (in that order) logs in through its
// generation's real widget with that selector alone, so every alternative
// is shown to match the widget it was written for.
func TestOktaProfileSelectorsPerGeneration(t *testing.T) {
	for i, gen := range []okta.Generation{okta.Gen2, okta.Gen3} {
		t.Run(gen.String(), func(t *testing.T) {
			s := startOkta(t, okta.Options{Gen: gen, TOTPSecret: oktaTOTPSecret, KeepMeSignedIn: true, Consent: true})
			p := shippedProfile(t, "okta.yaml", oktaWidgetEnv(s, true))
			split := 0
			for j := range p.Login.Steps {
				for _, sel := range []*string{&p.Login.Steps[j].Click, &p.Login.Steps[j].ClickIfPresent} {
					if alts := selectorAlternatives(*sel); len(alts) == 2 {
						*sel = alts[i]
						split++
					} else if len(alts) > 2 {
						t.Fatalf("step %d lists %d selectors, want one or a Gen2 and a Gen3 one: %q", j+1, len(alts), *sel)
					}
				}
			}
			if split != 4 {
				t.Fatalf("%d steps list a Gen2 and a Gen3 selector, want 4 (Next, Sign in, factor, Verify)", split)
			}
			r := loginThrough(t, p, p.Issuer+"/v1/authorize", Options{})
			if r.err != nil {
				t.Fatalf("Authorize with the %s selectors alone: %v\nlog:\n%s", gen, r.err, r.logs.all())
			}
			want := []string{"introspect", "identify", "challenge/answer", "challenge", "challenge/answer", "keep-me-signed-in", "consent", "redirect"}
			if got := idxSteps(s); r.resp.Code == "" || !slices.Equal(got, want) {
				t.Errorf("code %t, IDX steps %q, want a code after %q", r.resp.Code != "", got, want)
			}
			if log := r.logs.all(); strings.Contains(log, "skipped") {
				t.Errorf("a step was skipped with the %s selector alone:\n%s", gen, log)
			}
		})
	}
}

// TestOktaWrongPasswordMessage: with a wrong password the real widget
// stays on its page and shows its own message, which the page saved for
// the failure holds: "Password is incorrect" on an identifier-first org's
// password page, "Unable to sign in" (the widget's text for Okta's
// errors.E0000004) where identifier and password share the page. Only
// okta.yaml's first four steps run (the rest only wait for pages that
// cannot come; TestRunOktaWrongPassword runs the whole profile).
func TestOktaWrongPasswordMessage(t *testing.T) {
	for _, gen := range []okta.Generation{okta.Gen2, okta.Gen3} {
		for _, tt := range []struct {
			name         string
			withPassword bool
			message      string
		}{
			{"identifier first", false, "Password is incorrect"},
			{"identifier with password", true, "Unable to sign in"},
		} {
			t.Run(gen.String()+"/"+tt.name, func(t *testing.T) {
				s := startOkta(t, okta.Options{Gen: gen, IdentifyWithPassword: tt.withPassword})
				env := oktaWidgetEnv(s, false)
				env["OKTA_PASSWORD"] = "Okta-Wrong-Passw0rd-9"
				p := shippedProfile(t, "okta.yaml", env)
				p.Login.Steps, p.Login.Consent = p.Login.Steps[:4], nil
				dir := t.TempDir()
				r := loginThrough(t, p, p.Issuer+"/v1/authorize", Options{StepTimeout: 5 * time.Second, ArtifactDir: dir, extraResolverRules: offlineRules})
				var le *LoginError
				if !errors.As(r.err, &le) || le.HTML == "" {
					t.Fatalf("Authorize = %+v, %v; want a LoginError with the page saved", r.resp, r.err)
				}
				page, err := os.ReadFile(le.HTML)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(page), tt.message) {
					t.Errorf("the saved page does not show %q:\n%.1500s", tt.message, page)
				}
				if strings.Contains(string(page), "Okta-Wrong-Passw0rd-9") {
					t.Error("the saved page holds the typed password")
				}
			})
		}
	}
}
