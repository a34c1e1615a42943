package browser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// envFunc looks variables up in vars only.
func envFunc(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

// shippedProfile parses profiles/<name> with the given environment.
func shippedProfile(t *testing.T, name string, env map[string]string) *profiles.Profile {
	t.Helper()
	path := filepath.Join("..", "..", "profiles", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := profiles.Parse(path, data, envFunc(env))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return p
}

// loginResult is one login through a profile's steps.
type loginResult struct {
	resp    *authz.Response
	err     error
	b       *Browser
	logs    *logLines
	elapsed time.Duration // the Authorize call (login, consent, redirect)
	state   string
}

// loginThrough starts a browser with p's steps and sends one valid S256
// authorization request for p's public client to endpoint.
func loginThrough(t *testing.T, p *profiles.Profile, endpoint string, opts Options) loginResult {
	t.Helper()
	opts.Login, opts.Consent, opts.ProfilePath = p.Login.Steps, p.Login.Consent, p.Path
	if opts.StepTimeout == 0 {
		opts.StepTimeout = 10 * time.Second
	}
	if opts.ArtifactDir == "" {
		opts.ArtifactDir = t.TempDir()
	}
	b, logs := startTestBrowser(t, opts)
	c := p.Clients.Public
	pair, err := pkce.NewPair(43)
	if err != nil {
		t.Fatal(err)
	}
	state := "st-" + strings.ReplaceAll(t.Name(), "/", "-")
	req := authz.NewRequest(endpoint, c.ID, c.RedirectURI, c.Scopes, state)
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	began := time.Now()
	resp, err := b.Authorize(ctx, req.URL(), c.RedirectURI)
	r := loginResult{resp: resp, err: err, b: b, logs: logs, elapsed: time.Since(began), state: state}
	t.Logf("TIMING %s: Authorize (login+consent+redirect) %d ms", t.Name(), r.elapsed.Milliseconds())
	t.Cleanup(func() {
		out := logs.all()
		for _, s := range []string{idpPassword, idpTOTPSecret, "lookalike-code-"} {
			if strings.Contains(out, s) {
				t.Errorf("the log shows a secret (%.8s…):\n%s", s, out)
			}
		}
	})
	return r
}

// wantCode checks that the login ended in the redirect with a code and the
// state, and that the provider saw the expected flow.
func wantCode(t *testing.T, r loginResult, l *lookalike, events ...string) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("Authorize: %v\nlog:\n%s", r.err, r.logs.all())
	}
	if r.resp.Code == "" || r.resp.State != r.state || r.resp.Error != "" || r.resp.ErrorPage {
		t.Fatalf("Authorize = %+v, want a code and state %q", r.resp, r.state)
	}
	if !strings.HasPrefix(r.resp.Location, idpRedirect+"?") {
		t.Errorf("redirect %q is not to %s", r.resp.Location, idpRedirect)
	}
	if got := l.seen(); !slices.Equal(got, events) {
		t.Errorf("provider saw %q, want %q", got, events)
	}
	if r.b.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", r.b.Logins())
	}
}

func TestKeycloakProfileAgainstLookalike(t *testing.T) {
	tests := []struct {
		name      string
		configure func(*lookalike)
		totp      bool
		events    []string
	}{
		{"login and consent", func(l *lookalike) { l.consent = true }, false,
			[]string{"authorize", "password", "consent", "code"}},
		{"form rendered by a script after 800 ms", func(l *lookalike) { l.consent, l.delay = true, 800*time.Millisecond }, false,
			[]string{"authorize", "password", "consent", "code"}},
		{"one-time password and consent", func(l *lookalike) { l.consent, l.totpSecret = true, idpTOTPSecret }, true,
			[]string{"authorize", "password", "totp", "consent", "code"}},
		{"no consent page", nil, false, []string{"authorize", "password", "code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := keycloakLookalike(t, tt.configure)
			env := map[string]string{"KC_ISSUER": l.srv.URL + "/realms/demo", "KC_USER": idpUser, "KC_PASSWORD": idpPassword, "KC_CONF_SECRET": "conf"}
			if tt.totp {
				env["KC_TOTP_SECRET"] = idpTOTPSecret
			}
			p := shippedProfile(t, "keycloak.yaml", env)
			r := loginThrough(t, p, p.Issuer+"/protocol/openid-connect/auth", Options{})
			wantCode(t, r, l, tt.events...)
		})
	}
}

// TestKeycloakOTPWithoutSecret: the OTP page shows but KC_TOTP_SECRET is
// unset: the login stops at the totp step, naming it and the missing secret.
func TestKeycloakOTPWithoutSecret(t *testing.T) {
	l := keycloakLookalike(t, func(l *lookalike) { l.totpSecret = idpTOTPSecret })
	p := shippedProfile(t, "keycloak.yaml", map[string]string{"KC_ISSUER": l.srv.URL + "/realms/demo", "KC_USER": idpUser, "KC_PASSWORD": idpPassword, "KC_CONF_SECRET": "c"})
	r := loginThrough(t, p, p.Issuer+"/protocol/openid-connect/auth", Options{StepTimeout: 4 * time.Second})
	var le *LoginError
	if !errors.As(r.err, &le) {
		t.Fatalf("Authorize = %+v, %v; want a LoginError", r.resp, r.err)
	}
	if le.Step != 4 || le.Kind != KindTOTP || !strings.Contains(le.Error(), "TOTP secret is empty") || !strings.Contains(le.Where, "keycloak.yaml:") {
		t.Errorf("LoginError = %v", le)
	}
}

func TestAuth0ProfileAgainstLookalike(t *testing.T) {
	tests := []struct {
		name            string
		identifierFirst bool
		events          []string
	}{
		{"identifier first, consent", true, []string{"authorize", "identifier", "password", "consent", "code"}},
		{"identifier and password on one page, consent", false, []string{"authorize", "password", "consent", "code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := auth0Lookalike(t, tt.identifierFirst, func(l *lookalike) { l.consent = true })
			p := shippedProfile(t, "auth0.yaml", map[string]string{
				"AUTH0_ISSUER": l.srv.URL + "/", "AUTH0_USER": idpUser, "AUTH0_PASSWORD": idpPassword,
				"AUTH0_PUBLIC_CLIENT_ID": idpClientID, "AUTH0_CONF_CLIENT_ID": "conf", "AUTH0_OTHER_CLIENT_ID": "other", "AUTH0_CONF_SECRET": "s",
			})
			r := loginThrough(t, p, p.Issuer+"authorize", Options{})
			wantCode(t, r, l, tt.events...)
			skipped := strings.Contains(r.logs.all(), "login step 2 skipped")
			if skipped == tt.identifierFirst {
				t.Errorf("login step 2 (Continue on the username page) skipped = %v with identifier first = %v", skipped, tt.identifierFirst)
			}
		})
	}
}

// frameProfile logs in through a form inside iframe#login-frame.
const frameProfile = `name: embedded
issuer: ${ISSUER}
clients:
  public: {id: pkce-public-4711, redirect_uri: "http://127.0.0.1:8765/callback"}
login:
  steps:
    - {fill: "#user", value: "${U}", frame: "iframe#login-frame"}
    - {fill: "#pass", value: "${P}", frame: "iframe#login-frame"}
    - {click: "button#signin", frame: "iframe#login-frame"}
`

func TestLoginInsideIframe(t *testing.T) {
	tests := []struct {
		name      string
		frameHost string // "" = the page's own origin
		oopif     bool
	}{
		{"same origin", "", false},
		{"another site (out-of-process iframe)", "login.oopif.test", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := frameLookalike(t, func(l *lookalike) string {
				if tt.frameHost == "" {
					return l.srv.URL
				}
				return strings.Replace(l.srv.URL, "127.0.0.1", tt.frameHost, 1)
			})
			p, err := profiles.Parse("embedded.yaml", []byte(frameProfile), envFunc(map[string]string{"ISSUER": l.srv.URL, "U": idpUser, "P": idpPassword}))
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{}
			if tt.frameHost != "" {
				opts.extraResolverRules = "MAP " + tt.frameHost + " 127.0.0.1"
			}
			r := loginThrough(t, p, l.srv.URL+"/authorize", opts)
			wantCode(t, r, l, "authorize", "password in frame", "code")
			if got := strings.Contains(r.logs.all(), "runs in its own process"); got != tt.oopif {
				t.Errorf("out-of-process frame path taken = %v, want %v", got, tt.oopif)
			}
		})
	}
}

// TestWrongSelectorInsideIframe: a step whose element is missing in the
// frame fails with the step, the frame, the line and saved artifacts.
func TestWrongSelectorInsideIframe(t *testing.T) {
	l := frameLookalike(t, func(l *lookalike) string { return l.srv.URL })
	src := strings.Replace(frameProfile, `{fill: "#pass"`, `{fill: "#passwd"`, 1)
	p, err := profiles.Parse("embedded.yaml", []byte(src), envFunc(map[string]string{"ISSUER": l.srv.URL, "U": idpUser, "P": idpPassword}))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Step 1 must get through on a loaded machine (the frame loads late);
	// only step 2's selector is wrong.
	r := loginThrough(t, p, l.srv.URL+"/authorize", Options{StepTimeout: 5 * time.Second, ArtifactDir: dir})
	var le *LoginError
	if !errors.As(r.err, &le) {
		t.Fatalf("Authorize = %+v, %v; want a LoginError", r.resp, r.err)
	}
	want := `login step 2 (fill "#passwd" in frame "iframe#login-frame", embedded.yaml:8): selector not visible after 5s`
	if !strings.HasPrefix(le.Error(), want) || le.Frame != "iframe#login-frame" {
		t.Errorf("error:\n  %v\nwant prefix\n  %s", le, want)
	}
	checkArtifacts(t, le, dir)
}

// pickerProfile: a cookie banner, a tenant <select> and an account list.
const pickerProfile = `name: picker
issuer: ${ISSUER}
clients:
  public: {id: pkce-public-4711, redirect_uri: "http://127.0.0.1:8765/callback"}
login:
  steps:
    - {fill: "#username", value: "${U}"}
    - {fill: "#password", value: "${P}"}
    - {click: "#signin"}
    - {click_if_present: "#accept-cookies", optional_timeout: 5s}
    - {select: "select#tenant", value: "Acme Corp"}
    - {click_text: "pkcecheck@example.com"}
`

func TestAccountPickerSelectAndClickText(t *testing.T) {
	l := pickerLookalike(t)
	p, err := profiles.Parse("picker.yaml", []byte(pickerProfile), envFunc(map[string]string{"ISSUER": l.srv.URL, "U": idpUser, "P": idpPassword}))
	if err != nil {
		t.Fatal(err)
	}
	r := loginThrough(t, p, l.srv.URL+"/authorize", Options{})
	wantCode(t, r, l, "authorize", "password", "picked alice in acme (cookies ok)", "code")
}
