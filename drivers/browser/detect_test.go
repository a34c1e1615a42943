package browser

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// allowHosts is a Detection.Allowed that accepts exactly these host names.
func allowHosts(hosts ...string) func(*url.URL) error {
	return func(u *url.URL) error {
		if slices.Contains(hosts, u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q is not one of %v", u.Hostname(), hosts)
	}
}

// detected is p with its login and consent steps dropped: the browser
// finds its way with the account alone, typing only on hosts.
func detected(p *profiles.Profile, totp string, hosts ...string) (*profiles.Profile, Options) {
	return detectedAs(p, idpUser, idpPassword, totp, hosts...)
}

// detectedAs is detected for another account.
func detectedAs(p *profiles.Profile, user, password, totp string, hosts ...string) (*profiles.Profile, Options) {
	q := *p
	q.Login = profiles.Login{Steps: []profiles.Step{}} // not nil: the test browser would take its default steps
	d := &Detection{Username: user, Password: password, TOTPSecret: totp, Allowed: allowHosts(hosts...)}
	return &q, Options{Login: []profiles.Step{}, Detect: d}
}

// wantDetected checks that every step the browser took was detected.
func wantDetected(t *testing.T, b *Browser) {
	t.Helper()
	steps := b.UsedSteps()
	if len(steps) == 0 {
		t.Fatal("no step recorded")
	}
	for _, s := range steps {
		if !IsDetected(s) {
			t.Errorf("step %+v was not detected", s)
		}
		for _, secret := range []string{idpUser, idpPassword, idpTOTPSecret} {
			if strings.Contains(s.Step+s.How, secret) {
				t.Errorf("step %+v shows a value", s)
			}
		}
	}
}

// TestDetectedLoginAgainstLookalikes: the provider lookalikes the shipped
// profiles are tested on (Keycloak with consent, a script-built form and
// OTP; Auth0 New Universal Login identifier-first and one-page; a login in
// an iframe of the same and of another site) log in from the user name and
// password alone (and the TOTP secret), through the same pages as the
// hand-written profiles. The real front ends on their emulators:
// TestDetectedLoginAgainstOktaWidget and TestDetectedLoginAgainstAuth0Lock.
func TestDetectedLoginAgainstLookalikes(t *testing.T) {
	type lookalikeCase struct {
		name    string
		start   func(t *testing.T) *lookalike
		profile func(t *testing.T, l *lookalike) (*profiles.Profile, string)
		totp    string
		frame   string // host of an iframe of another site
		events  []string
	}
	keycloak := keycloakProfileFor
	auth0 := func(t *testing.T, l *lookalike) (*profiles.Profile, string) {
		p := shippedProfile(t, "auth0.yaml", map[string]string{
			"AUTH0_ISSUER": l.srv.URL + "/", "AUTH0_USER": idpUser, "AUTH0_PASSWORD": idpPassword,
			"AUTH0_PUBLIC_CLIENT_ID": idpClientID, "AUTH0_CONF_CLIENT_ID": "conf", "AUTH0_OTHER_CLIENT_ID": "other", "AUTH0_CONF_SECRET": "s",
		})
		return p, p.Issuer + "authorize"
	}
	frame := func(t *testing.T, l *lookalike) (*profiles.Profile, string) {
		p, err := profiles.Parse("embedded.yaml", []byte(frameProfile), envFunc(map[string]string{"ISSUER": l.srv.URL, "U": idpUser, "P": idpPassword}))
		if err != nil {
			t.Fatal(err)
		}
		return p, l.srv.URL + "/authorize"
	}
	cases := []lookalikeCase{
		{name: "Keycloak login and consent", start: func(t *testing.T) *lookalike { return keycloakLookalike(t, func(l *lookalike) { l.consent = true }) },
			profile: keycloak, events: []string{"authorize", "password", "consent", "code"}},
		{name: "Keycloak form built by a script", start: func(t *testing.T) *lookalike {
			return keycloakLookalike(t, func(l *lookalike) { l.consent, l.delay = true, 800*time.Millisecond })
		}, profile: keycloak, events: []string{"authorize", "password", "consent", "code"}},
		{name: "Keycloak OTP and consent", start: func(t *testing.T) *lookalike {
			return keycloakLookalike(t, func(l *lookalike) { l.consent, l.totpSecret = true, idpTOTPSecret })
		}, profile: keycloak, totp: idpTOTPSecret, events: []string{"authorize", "password", "totp", "consent", "code"}},
		{name: "Keycloak without consent", start: func(t *testing.T) *lookalike { return keycloakLookalike(t, nil) },
			profile: keycloak, events: []string{"authorize", "password", "code"}},
		{name: "Auth0 identifier first", start: func(t *testing.T) *lookalike {
			return auth0Lookalike(t, true, func(l *lookalike) { l.consent = true })
		}, profile: auth0, events: []string{"authorize", "identifier", "password", "consent", "code"}},
		{name: "Auth0 one page", start: func(t *testing.T) *lookalike {
			return auth0Lookalike(t, false, func(l *lookalike) { l.consent = true })
		}, profile: auth0, events: []string{"authorize", "password", "consent", "code"}},
		{name: "iframe of the same site", start: func(t *testing.T) *lookalike {
			return frameLookalike(t, func(l *lookalike) string { return l.srv.URL })
		}, profile: frame, events: []string{"authorize", "password in frame", "code"}},
		{name: "iframe of another site", frame: "login.oopif.test", start: func(t *testing.T) *lookalike {
			return frameLookalike(t, func(l *lookalike) string { return strings.Replace(l.srv.URL, "127.0.0.1", "login.oopif.test", 1) })
		}, profile: frame, events: []string{"authorize", "password in frame", "code"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.start(t)
			given, endpoint := tt.profile(t, l)
			hosts := []string{"127.0.0.1"}
			if tt.frame != "" {
				hosts = append(hosts, tt.frame)
			}
			p, opts := detected(given, tt.totp, hosts...)
			if tt.frame != "" {
				opts.extraResolverRules = "MAP " + tt.frame + " 127.0.0.1"
			}
			r := loginThrough(t, p, endpoint, opts)
			wantCode(t, r, l, tt.events...)
			wantDetected(t, r.b)
		})
	}
}

// foreignFront is a server on 127.0.0.1 whose /authorize redirects to the
// same path and query on target, another host name of the same machine.
func foreignFront(t *testing.T, target string) *httptest.Server {
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path+"?"+r.URL.RawQuery, http.StatusFound)
	}))
	t.Cleanup(front.Close)
	return front
}

// TestDetectedLoginRefusesForeignHost: the authorization endpoint
// (127.0.0.1) sends the browser to a login form on "localhost", which the
// profile's scope does not name: the login stops before anything is typed
// (the provider never sees a login attempt), naming the host.
func TestDetectedLoginRefusesForeignHost(t *testing.T) {
	l := keycloakLookalike(t, nil)
	foreign := strings.Replace(l.srv.URL, "127.0.0.1", "localhost", 1)
	front := foreignFront(t, foreign)
	given, _ := keycloakProfileFor(t, l)
	p, opts := detected(given, "", "127.0.0.1")
	opts.StepTimeout = 5 * time.Second
	r := loginThrough(t, p, front.URL+"/realms/demo/protocol/openid-connect/auth", opts)
	var le *LoginError
	if !errors.As(r.err, &le) {
		t.Fatalf("Authorize = %+v, %v; want a LoginError", r.resp, r.err)
	}
	if !strings.Contains(le.Error(), `is on localhost, outside the profile's scope`) || le.Page == nil {
		t.Errorf("error = %v (page read: %v)", le, le.Page != nil)
	}
	if got := l.seen(); !slices.Equal(got, []string{"authorize"}) {
		t.Errorf("the provider saw %q: something was submitted on the foreign host", got)
	}
	if r.b.Logins() != 0 {
		t.Errorf("Logins() = %d", r.b.Logins())
	}
}

// keycloakProfileFor is keycloak.yaml for the Keycloak lookalike l.
func keycloakProfileFor(t *testing.T, l *lookalike) (*profiles.Profile, string) {
	p := shippedProfile(t, "keycloak.yaml", map[string]string{"KC_ISSUER": l.srv.URL + "/realms/demo", "KC_USER": idpUser, "KC_PASSWORD": idpPassword, "KC_CONF_SECRET": "c"})
	return p, p.Issuer + "/protocol/openid-connect/auth"
}

// TestDetectedLoginWrongPassword: a refused password is recognised from
// the page's own message after exactly one attempt, never retried, and the
// error quotes the message, never the values typed.
func TestDetectedLoginWrongPassword(t *testing.T) {
	l := keycloakLookalike(t, nil)
	l.password = "another-password-entirely"
	given, endpoint := keycloakProfileFor(t, l)
	p, opts := detected(given, "", "127.0.0.1")
	dir := t.TempDir()
	opts.ArtifactDir = dir
	r := loginThrough(t, p, endpoint, opts)
	var le *LoginError
	if !errors.As(r.err, &le) {
		t.Fatalf("Authorize = %+v, %v; want a LoginError", r.resp, r.err)
	}
	msg := le.Error()
	if !strings.Contains(msg, "login rejected") || !strings.Contains(msg, `"Invalid username or password."`) {
		t.Errorf("error = %v", msg)
	}
	for _, v := range []string{idpUser, idpPassword} {
		if strings.Contains(msg, v) {
			t.Errorf("the error shows a typed value: %v", msg)
		}
	}
	if got := l.seen(); !slices.Equal(got, []string{"authorize", "password wrong"}) {
		t.Errorf("the provider saw %q, want exactly one attempt", got)
	}
	checkArtifacts(t, le, dir)
}

// TestDetectedConsentAfterGivenLogin: the profile's login steps log in,
// detection answers the consent page the profile has no step for.
func TestDetectedConsentAfterGivenLogin(t *testing.T) {
	l := keycloakLookalike(t, func(l *lookalike) { l.consent = true })
	given, endpoint := keycloakProfileFor(t, l)
	p, opts := detected(given, "", "127.0.0.1")
	p.Login.Steps = given.Login.Steps
	r := loginThrough(t, p, endpoint, opts)
	wantCode(t, r, l, "authorize", "password", "consent", "code")
	var pages []string
	for _, s := range r.b.UsedSteps() {
		pages = append(pages, s.Page+"/"+map[bool]string{true: "detected", false: "given"}[IsDetected(s)])
	}
	if !slices.Contains(pages, "login/given") || !slices.Contains(pages, "consent/detected") || slices.Contains(pages, "login/detected") {
		t.Errorf("steps taken: %v; want the login given and the consent detected", pages)
	}
}
