package main

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/refidp"
)

// accountProfile is a profile for the reference provider with the test
// account alone: user name and password, no steps.
func accountProfile(t *testing.T, issuer string) string {
	t.Helper()
	return writeProfile(t, `name: reference
issuer: `+issuer+`
clients:
  public: {id: `+refidp.PublicClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
login:
  username: "${PKC_LOGIN_USER}"
  password: "${PKC_LOGIN_PASSWORD}"
policy: {pkce_required: public, plain: forbidden}
limits: {timeout: 4s}
`)
}

func accountEnv(password string) map[string]string {
	return map[string]string{"PKC_LOGIN_USER": loginTestUser, "PKC_LOGIN_PASSWORD": password}
}

// TestProfileCheckAccount: profile check accepts a login with only the
// account and says so, without its values.
func TestProfileCheckAccount(t *testing.T) {
	path := accountProfile(t, "http://127.0.0.1:1")
	r := cli(t, accountEnv(loginTestPassword), "profile", "check", path)
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	want := "0 step(s), 0 consent step(s); user name and password set (" + path + ":6): pages no step fits are detected"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("summary lacks %q:\n%s", want, r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, loginTestUser) || strings.Contains(r.stdout+r.stderr, loginTestPassword) {
		t.Errorf("the summary shows the account")
	}
}

// TestLoginCommandDetected: `pkcecheck login` logs in from the account
// alone and lists the steps it found, without values.
func TestLoginCommandDetected(t *testing.T) {
	srv := startTestIDP(t)
	r := cli(t, accountEnv(loginTestPassword), "login", "--profile", accountProfile(t, srv.Issuer()), "--out", t.TempDir())
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("stdout:\n%s", r.stdout)
	for _, want := range []string{"logged in; code received", "login steps: detected", `fill "#username"`, `fill "#password"`, "consent ", "detected: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, loginTestUser) || strings.Contains(r.stdout+r.stderr, loginTestPassword) {
		t.Errorf("the output shows the account:\n%s", r.stdout)
	}
}

// TestLoginCommandDetectedWrongPassword: a refused password stops the
// login with exit 3 after one attempt, quoting the page's message and
// listing what the page offers, never the password typed.
func TestLoginCommandDetectedWrongPassword(t *testing.T) {
	srv := startTestIDP(t)
	const wrong = "wrong-Pw-Heron-77c2"
	r := cli(t, accountEnv(wrong), "login", "--profile", accountProfile(t, srv.Issuer()), "--out", t.TempDir())
	if r.code != exitUnreachable {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	t.Logf("output:\n%s", out)
	for _, want := range []string{"login rejected", `"Wrong username or password."`, "what the page offers:", "#password"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, wrong) {
		t.Errorf("the output shows the password typed")
	}
	if st := srv.Stats(); st.LoginFailures != 1 || st.Logins != 0 {
		t.Errorf("the server saw %d failed and %d good logins; want exactly one attempt", st.LoginFailures, st.Logins)
	}
}
