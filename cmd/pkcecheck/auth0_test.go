package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/auth0"
	"github.com/pkcecheck/pkcecheck/results"
)

// The Auth0 emulator run's secrets, distinctive so that no report or
// console line may contain them.
const (
	auth0Password   = "auth0-pw-Otter-Fjord-27"
	auth0ConfSecret = "auth0-conf-secret-Marten-5d2e"
	// auth0WrongPassword is the password of the failing login.
	auth0WrongPassword = "auth0-wrong-pw-Plover-66"
)

// auth0Expected is what pkcecheck must report against the emulated Auth0
// tenant (e2e/providers/auth0) under the shipped profile: PKCE holds
// everywhere; the tenant's 403 for a bad code or verifier (as Auth0's
// real tenants answer, profiles/auth0.yaml) fails error-response and
// makes code-race warn, as the profile's comments predict.
var auth0Expected = func() map[string][]results.Status {
	m := map[string][]results.Status{
		"rfc6749.error-response": {results.Fail},
		"rfc6749.code-race":      {results.Warn},
	}
	for _, id := range []string{
		"rfc7636.s256-roundtrip", "rfc7636.verifier-missing", "rfc7636.verifier-empty", "rfc7636.verifier-mismatch",
		"rfc7636.verifier-swapped", "rfc7636.method-bound", "rfc7636.verifier-length", "rfc7636.verifier-charset",
		"rfc7636.challenge-missing", "rfc7636.challenge-format", "rfc7636.method-unsupported", "rfc7636.method-default",
		"rfc7636.plain-policy", "rfc6749.error-charset", "rfc6749.code-single-use", "rfc6749.reuse-revokes",
		"rfc6749.code-race-mixed", "rfc6749.code-client-bound", "rfc6749.redirect-uri-bound", "rfc6749.no-store",
		"rfc6749.duplicate-params", "rfc9700.downgrade", "rfc9700.confidential-pkce", "rfc8414.methods-advertised",
		"rfc7636.method-without-challenge", "rfc9700.pkce-per-auth-method", "rfc7636.challenge-not-echoed",
		"info.failed-verifier-burns-code", "info.error-iss",
	} {
		m[id] = []results.Status{results.Pass}
	}
	for _, id := range []string{
		"rfc7636.form-post-enforced", "rfc7636.fragment-enforced", "rfc6749.redirect-keeps-query",
		// No refresh tokens without offline_access, which the profile does
		// not ask for.
		"rfc6749.refresh-after-pkce", "rfc6749.replay-revokes-refresh",
		// Auth0 advertises no PAR endpoint here, nor RFC 9207 iss.
		"rfc9126.par-pkce-validated", "rfc9126.par-request-uri-once", "rfc9126.par-client-bound", "rfc9126.par-front-channel-override",
		"rfc9207.iss-required",
		"policy.oauth21-method-required", "policy.oauth21-plain-prohibited",
	} {
		m[id] = []results.Status{results.Skip}
	}
	return m
}()

// startAuth0Tenant starts the emulator for one test.
func startAuth0Tenant(t *testing.T, opts auth0.Options) *auth0.Server {
	t.Helper()
	opts.Password, opts.ConfidentialSecret = auth0Password, auth0ConfSecret
	return auth0.StartForTest(t, opts)
}

// auth0Env is profiles/auth0.yaml's environment for the emulator.
func auth0Env(s *auth0.Server) []string {
	return []string{
		"AUTH0_ISSUER=" + s.Issuer(), "AUTH0_USER=" + auth0.Username, "AUTH0_PASSWORD=" + auth0Password,
		"AUTH0_PUBLIC_CLIENT_ID=" + auth0.PublicClientID, "AUTH0_CONF_CLIENT_ID=" + auth0.ConfidentialClientID,
		"AUTH0_OTHER_CLIENT_ID=" + auth0.OtherClientID, "AUTH0_CONF_SECRET=" + auth0ConfSecret,
		"AUTH0_CA_FILE=" + s.CAFile(),
	}
}

// TestRunAuth0 runs the shipped auth0.yaml, unchanged (only its
// environment names the emulator), through the real Lock on the emulated
// tenant with consent: the whole catalogue, every result as expected, one
// browser login, and the requests Lock made all answered.
func TestRunAuth0(t *testing.T) {
	s := startAuth0Tenant(t, auth0.Options{Consent: true})
	began := time.Now()
	r := pkcecheck(t, auth0Env(s), "run", "--profile", "../../profiles/auth0.yaml")
	t.Logf("pkcecheck run against Lock %s took %v", auth0.LockVersion, time.Since(began).Round(time.Millisecond))
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d (error-response fails)\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	checkExpected(t, r, "the Auth0 emulator", auth0Expected)
	if st := r.run.Stats; st.Logins != 1 || st.CodesMinted < 40 {
		t.Errorf("stats %+v, want one login and the codes of a full run", st)
	}
	// Lock's own requests, each answered: the client configuration, the
	// captcha probe, the dictionary, the SSO probe, then the login and
	// the hidden form's post; the consent page for each client.
	seen := strings.Join(s.Requests(), "\n")
	for _, want := range []string{"GET /client/" + auth0.PublicClientID + ".js", "POST /usernamepassword/challenge",
		"GET /js/lock/" + auth0.LockVersion + "/en.js", "GET /user/ssodata", "POST /usernamepassword/login",
		"POST /login/callback", "POST /u/consent"} {
		if !strings.Contains(seen, want) {
			t.Errorf("Lock never sent %s; requests:\n%s", want, seen)
		}
	}
	if n := strings.Count(seen, "POST /usernamepassword/login"); n != 1 {
		t.Errorf("%d logins through Lock, want 1", n)
	}
	if nf := s.NotFound(); len(nf) > 0 {
		t.Errorf("answered 404: %q", nf)
	}
	assertNoSecrets(t, r, auth0Password, auth0ConfSecret)
}

// lockError is Lock's global error box with its text for a wrong email or
// password.
var lockError = regexp.MustCompile(`class="auth0-global-message auth0-global-message-error"><span[^>]*>(<span>)?Wrong email or password\.</span>`)

// TestRunAuth0WrongPassword: a wrong password through the real Lock ends
// the run with exit 3 (no login), and the page saved for the failure shows
// Lock's own message for Auth0's invalid_user_password on an email field:
// "Wrong email or password." (lock.invalid_email_password).
func TestRunAuth0WrongPassword(t *testing.T) {
	s := startAuth0Tenant(t, auth0.Options{Consent: true})
	env := append(auth0Env(s), "AUTH0_PASSWORD="+auth0WrongPassword)
	r := pkcecheck(t, env, "run", "--profile", "../../profiles/auth0.yaml")
	if r.code != exitUnreachable {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	texts := outputTexts(t, r)
	page, ok := texts["login-failure-1.html"]
	if !ok {
		t.Fatalf("no login-failure-1.html saved (files: %v)\nstderr:\n%s", keys(texts), r.stderr)
	}
	// Lock's own global error message, from its dictionary (Lock ignores
	// the server's description for invalid_user_password).
	if !lockError.MatchString(page) {
		i := max(0, strings.Index(page, "Wrong email")-300)
		t.Errorf("the saved page does not show Lock's message in Lock's error box:\n%.600s", page[i:])
	}
	t.Logf("stderr:\n%s", r.stderr)
	checkNoSecrets(t, texts, []string{auth0Password, auth0WrongPassword, auth0ConfSecret})
}

// TestRunAuth0Detected runs auth0.yaml with its login reduced to the
// account (user name and password, no steps, no consent steps): pkcecheck
// finds Lock's fields, its button and the consent page's Accept itself,
// and every result is what the hand-written steps give.
func TestRunAuth0Detected(t *testing.T) {
	s := startAuth0Tenant(t, auth0.Options{Consent: true})
	began := time.Now()
	r := pkcecheck(t, auth0Env(s), "run", "--profile", detectedProfile(t, "auth0.yaml", "${AUTH0_USER}", "${AUTH0_PASSWORD}", ""))
	t.Logf("pkcecheck run (detected login) against Lock %s took %v", auth0.LockVersion, time.Since(began).Round(time.Millisecond))
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d (error-response fails)\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	checkExpected(t, r, "the Auth0 emulator", auth0Expected)
	if l := r.run.Login; l == nil || l.Mode != results.LoginDetected || len(l.Steps) == 0 {
		t.Errorf("results.json login = %+v, want mode detected with its steps", l)
	} else {
		t.Logf("detected: %s", l.Summary())
	}
	if n := strings.Count(strings.Join(s.Requests(), "\n"), "POST /usernamepassword/login"); n != 1 {
		t.Errorf("%d logins through Lock, want 1", n)
	}
	assertNoSecrets(t, r, auth0Password, auth0ConfSecret)
}
