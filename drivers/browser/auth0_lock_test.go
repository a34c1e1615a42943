package browser

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/auth0"
)

// The Auth0 emulator's test user's password.
const auth0LockPassword = "Auth0-Lock-Passw0rd-7c2d"

// startAuth0Lock starts the Auth0 emulator (the real Lock) for one test
// and returns it with auth0.yaml's environment for it.
func startAuth0Lock(t *testing.T, opts auth0.Options) (*auth0.Server, map[string]string) {
	t.Helper()
	opts.Password, opts.ConfidentialSecret = auth0LockPassword, "auth0-conf-secret-test"
	s := auth0.StartForTest(t, opts)
	return s, map[string]string{
		"AUTH0_ISSUER": s.Issuer(), "AUTH0_USER": auth0.Username, "AUTH0_PASSWORD": auth0LockPassword,
		"AUTH0_PUBLIC_CLIENT_ID": auth0.PublicClientID, "AUTH0_CONF_CLIENT_ID": auth0.ConfidentialClientID,
		"AUTH0_OTHER_CLIENT_ID": auth0.OtherClientID, "AUTH0_CONF_SECRET": "auth0-conf-secret-test",
		"AUTH0_CA_FILE": s.CAFile(),
	}
}

// TestAuth0ProfileAgainstLock: the unchanged shipped auth0.yaml logs in
// through the real Lock 14.3.0 (Classic Universal Login), with and
// without the consent page, with every host but 127.0.0.1 unresolvable:
// Lock's React-controlled fields take the typed values, its button posts
// them, the hidden form ends in a code; the New Universal Login
// identifier-first step gives up early; Lock asks for nothing the tenant
// does not serve. Then each step with a New Universal Login and a Lock
// selector runs with the Lock selector alone.
func TestAuth0ProfileAgainstLock(t *testing.T) {
	for _, tt := range []struct {
		name     string
		consent  bool
		lockOnly bool
	}{
		{"consent", true, false},
		{"no consent", false, false},
		{"Lock selectors alone", true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, env := startAuth0Lock(t, auth0.Options{Consent: tt.consent})
			p := shippedProfile(t, "auth0.yaml", env)
			if tt.lockOnly {
				for j := range p.Login.Steps {
					for _, sel := range []*string{&p.Login.Steps[j].Fill, &p.Login.Steps[j].Click} {
						if alts := selectorAlternatives(*sel); len(alts) > 1 {
							*sel = strings.Join(alts[1:], ", ")
						}
					}
				}
			}
			r := loginThrough(t, p, s.Origin()+"/authorize", Options{CACerts: p.TLS.CAPEM, extraResolverRules: offlineRules})
			if r.err != nil {
				t.Fatalf("Authorize: %v\nlog:\n%s\nrequests: %q", r.err, r.logs.all(), s.Requests())
			}
			if r.resp.Code == "" || r.resp.State != r.state || !strings.HasPrefix(r.resp.Location, auth0.RedirectURI+"?") {
				t.Fatalf("Authorize = %+v, want a code and state %q", r.resp, r.state)
			}
			if missing := s.NotFound(); len(missing) > 0 {
				t.Errorf("Lock asked for what the tenant does not serve: %q", missing)
			}
			seen := strings.Join(s.Requests(), "\n")
			if n := strings.Count(seen, "POST /usernamepassword/login"); n != 1 {
				t.Errorf("%d logins through Lock, want 1:\n%s", n, seen)
			}
			if got := strings.Contains(seen, "POST /u/consent"); got != tt.consent {
				t.Errorf("consent posted = %v, want %v", got, tt.consent)
			}
			log := r.logs.all()
			if ms := stepMS(t, log, "2"); ms > 1500 {
				t.Errorf("the identifier-first step was skipped after %d ms: it waited out its grace time", ms)
			}
			if strings.Contains(log, auth0LockPassword) {
				t.Error("the log shows the password")
			}
		})
	}
}

// TestAuth0LockWrongPassword: with a wrong password Lock stays on its page
// and shows its own message, which the page saved for the failure holds.
// Only auth0.yaml's login steps run, without consent.
func TestAuth0LockWrongPassword(t *testing.T) {
	s, env := startAuth0Lock(t, auth0.Options{})
	env["AUTH0_PASSWORD"] = "Auth0-Wrong-Passw0rd-5"
	p := shippedProfile(t, "auth0.yaml", env)
	p.Login.Consent = nil
	dir := t.TempDir()
	r := loginThrough(t, p, s.Origin()+"/authorize", Options{CACerts: p.TLS.CAPEM, StepTimeout: 5 * time.Second, ArtifactDir: dir, extraResolverRules: offlineRules})
	var le *LoginError
	if !errors.As(r.err, &le) || le.HTML == "" {
		t.Fatalf("Authorize = %+v, %v; want a LoginError with the page saved", r.resp, r.err)
	}
	page, err := os.ReadFile(le.HTML)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "auth0-global-message-error") || !strings.Contains(string(page), "Wrong email or password.") {
		t.Errorf("the saved page does not show Lock's error:\n%.1500s", page)
	}
	if strings.Contains(string(page), "Auth0-Wrong-Passw0rd-5") {
		t.Error("the saved page holds the typed password")
	}
}
