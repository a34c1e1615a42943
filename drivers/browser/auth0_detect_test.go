package browser

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providers/auth0"
)

// TestDetectedLoginAgainstAuth0Lock: the real Auth0 Lock 14.3.0 with
// consent, on the local tenant, logs in from the user name and password
// alone, with every host but 127.0.0.1 unresolvable, every step detected.
// (The Okta widget's detected logins: TestDetectedLoginAgainstOktaWidget.)
func TestDetectedLoginAgainstAuth0Lock(t *testing.T) {
	s, env := startAuth0Lock(t, auth0.Options{Consent: true})
	given := shippedProfile(t, "auth0.yaml", env)
	p, opts := detectedAs(given, auth0.Username, auth0LockPassword, "", "127.0.0.1")
	opts.CACerts, opts.extraResolverRules = given.TLS.CAPEM, offlineRules
	r := loginThrough(t, p, s.Origin()+"/authorize", opts)
	if r.err != nil {
		t.Fatalf("Authorize: %v\nlog:\n%s", r.err, r.logs.all())
	}
	if r.resp.Code == "" || r.resp.State != r.state || r.resp.Error != "" {
		t.Fatalf("Authorize = %+v, want a code and state %q", r.resp, r.state)
	}
	wantDetected(t, r.b)
	if missing := s.NotFound(); len(missing) > 0 {
		t.Errorf("Lock asked for what the emulator does not serve: %q", missing)
	}
	if log := r.logs.all(); strings.Contains(log, auth0LockPassword) {
		t.Error("the log shows the password")
	}
}
