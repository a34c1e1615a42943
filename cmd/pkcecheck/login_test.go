package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/refidp"
)

// Distinctive secrets of the reference provider used here.
const (
	loginTestUser     = "login-user-5d1c"
	loginTestPassword = "pw-Login-Ocelot-2b7e"
	loginTestSecret   = "conf-Login-Walrus-8a41"
)

// startTestIDP starts the reference provider in-process on 127.0.0.1.
func startTestIDP(t *testing.T) *refidp.Server {
	t.Helper()
	return startRefIDP(t, refidp.Config{})
}

// idpProfile is a profile for the reference provider; the password comes
// from ${PKC_LOGIN_PASSWORD}. passwordSel replaces the password selector.
func idpProfile(t *testing.T, issuer, passwordSel string) string {
	t.Helper()
	return writeProfile(t, `name: reference
issuer: `+issuer+`
clients:
  public: {id: `+refidp.PublicClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
  confidential: {id: `+refidp.ConfidentialClientID+`, secret: "${PKC_LOGIN_CONF_SECRET}", redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
login:
  steps:
    - {fill: "`+refidp.UsernameSelector+`", value: "`+loginTestUser+`"}
    - {fill: "`+passwordSel+`", value: "${PKC_LOGIN_PASSWORD}"}
    - {click: "`+refidp.LoginButtonSelector+`"}
  consent:
    - {click: "`+refidp.ConsentSelector+`"}
policy: {pkce_required: public, plain: forbidden}
limits: {timeout: 4s}
`)
}

// cli runs the command in-process with env set for the call.
func cli(t *testing.T, env map[string]string, args ...string) cliResult {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var so, se bytes.Buffer
	began := time.Now()
	code := run(ctx, args, &so, &se)
	t.Logf("TIMING pkcecheck %s: %d ms", args[0], time.Since(began).Milliseconds())
	return cliResult{code: code, stdout: so.String(), stderr: se.String()}
}

func loginEnv() map[string]string {
	return map[string]string{"PKC_LOGIN_PASSWORD": loginTestPassword, "PKC_LOGIN_CONF_SECRET": loginTestSecret}
}

func TestLoginCommandSucceeds(t *testing.T) {
	srv := startTestIDP(t)
	path := idpProfile(t, srv.Issuer(), refidp.PasswordSelector)
	out := t.TempDir()
	r := cli(t, loginEnv(), "login", "--profile", path, "--out", out)
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("stdout:\n%s", r.stdout)
	for _, want := range []string{
		"discovering " + srv.Issuer(),
		`login step 1: fill "#username"`, `login step 2: fill "#password"`, `login step 3: click "#login"`,
		`consent step 1: click "#approve"`,
		"redirect captured", "logged in; code received",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if s := srv.Stats(); s.Logins != 1 || s.CodesIssued != 1 {
		t.Errorf("provider stats %+v: want one login and one code", s)
	}
	// The code is never printed: redirect URLs show REDACTED only.
	if m := regexp.MustCompile(`code=[^R&\s]`).FindString(r.stdout + r.stderr); m != "" {
		t.Errorf("output shows a code (%q):\n%s", m, r.stdout)
	}
	for _, s := range []string{loginTestPassword, loginTestSecret} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Error("output shows a secret")
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a successful login saved files in --out: %v", entries)
	}
}

// TestLoginCommandWrongSelector: a selector that is not on the page exits 3
// naming the step, the selector and its line, with a screenshot saved.
func TestLoginCommandWrongSelector(t *testing.T) {
	srv := startTestIDP(t)
	path := idpProfile(t, srv.Issuer(), "#passwd")
	out := t.TempDir()
	r := cli(t, loginEnv(), "login", "--profile", path, "--out", out)
	if r.code != exitUnreachable {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	t.Logf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	for _, want := range []string{"login stuck:", "selector   #passwd", "profile    " + path + ":9", "step       login step 2 (fill)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, `login step 2 (fill "#passwd", `+path+`:9): selector not visible after 4s`) {
		t.Errorf("stderr does not name the step, selector and line:\n%s", r.stderr)
	}
	shots, _ := filepath.Glob(filepath.Join(out, "login-failure-*.png"))
	pages, _ := filepath.Glob(filepath.Join(out, "login-failure-*.html"))
	if len(shots) != 1 || len(pages) != 1 {
		t.Fatalf("saved %v and %v, want one screenshot and one page", shots, pages)
	}
	if !strings.Contains(r.stdout, "screenshot "+shots[0]) {
		t.Errorf("stdout does not name the screenshot %s:\n%s", shots[0], r.stdout)
	}
	if png, err := os.ReadFile(shots[0]); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("%s is not a PNG (%v)", shots[0], err)
	}
	if strings.Contains(r.stdout+r.stderr, loginTestPassword) {
		t.Error("output shows the password")
	}
	// What the page offers: its real ids, a selector for each.
	assertOffer(t, r.stdout, refidpControls, pages[0], loginTestUser, loginTestPassword, loginTestSecret)
	if !strings.Contains(r.stdout, `id="password"`) {
		t.Errorf("the listing does not name the password field's id:\n%s", r.stdout)
	}
}

func TestLoginCommandUsageAndProfileErrors(t *testing.T) {
	if r := cli(t, nil, "login"); r.code != exitUsage || !strings.Contains(r.stderr, "login needs --profile") {
		t.Errorf("login without --profile: exit %d: %s", r.code, r.stderr)
	}
	path := writeProfile(t, "name: t\nissuer: ${PKC_UNSET_ISSUER}\nclients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin: {steps: [{click: a}]}\n")
	r := cli(t, nil, "login", "--profile", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, path+":2:9: environment variable PKC_UNSET_ISSUER is not set") {
		t.Errorf("unset variable: exit %d: %s", r.code, r.stderr)
	}
}

func TestLoginCommandUnreachableIssuer(t *testing.T) {
	addr := freeAddr(t)
	path := idpProfile(t, "http://"+addr, refidp.PasswordSelector)
	r := cli(t, loginEnv(), "login", "--profile", path, "--out", t.TempDir())
	if r.code != exitUnreachable || !strings.Contains(r.stderr, addr) {
		t.Errorf("exit %d, want %d naming %s:\n%s", r.code, exitUnreachable, addr, r.stderr)
	}
}

// freeAddr is a 127.0.0.1 address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestProfileCheck(t *testing.T) {
	srv := startTestIDP(t)
	path := idpProfile(t, srv.Issuer(), refidp.PasswordSelector)
	r := cli(t, loginEnv(), "profile", "check", path)
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"reference (" + path + "): valid", "issuer   " + srv.Issuer(),
		"public: demo-public (none)", "confidential: demo-confidential (client_secret_basic, secret set)", "other: none",
		"3 step(s), 1 consent step(s)", `1  fill "#username"  ` + path + ":8", `2  fill "#password"  ` + path + ":9",
		`c1  click "#approve"  ` + path + ":12",
		"pkce_required: public, plain: forbidden, error_codes: strict", "timeout 4s",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "endpoint") {
		t.Errorf("without --discover the summary shows endpoints:\n%s", r.stdout)
	}
	for _, s := range []string{loginTestPassword, loginTestSecret, loginTestUser} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("the summary shows a value it must not (%.6s…)", s)
		}
	}

	// --discover, also after the file.
	r = cli(t, loginEnv(), "profile", "check", path, "--discover")
	if r.code != exitOK {
		t.Fatalf("--discover: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"metadata", srv.Issuer() + "/.well-known/",
		"endpoint  authorization " + srv.Issuer(), "endpoint  token " + srv.Issuer(),
		"code_challenge_methods_supported  [S256]",
	} {
		if !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("--discover output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestProfileCheckReportsEveryProblem(t *testing.T) {
	path := writeProfile(t, `name: broken
issuer: https://a.example
clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:1/cb", scope: x}
login:
  steps:
    - {totp: "#otp"}
    - {click_text: ""}
policy: {plain: sometimes}
`)
	r := cli(t, nil, "profile", "check", path)
	if r.code != exitUsage {
		t.Fatalf("exit %d, want %d:\n%s", r.code, exitUsage, r.stderr)
	}
	for _, want := range []string{
		"4 problem(s)", path + `:4:58: unknown key "scope"`, path + ":7:7: login.steps[0]: totp needs a secret",
		path + ":8:20: login.steps[1].click_text text must not be empty", path + ":9:17: policy.plain: unknown value",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestProfileCheckDiscoverUnreachable(t *testing.T) {
	addr := freeAddr(t)
	path := idpProfile(t, "http://"+addr, refidp.PasswordSelector)
	r := cli(t, loginEnv(), "profile", "check", "--discover", path)
	if r.code != exitUnreachable || !strings.Contains(r.stderr, addr) || !strings.Contains(r.stdout, "valid") {
		t.Errorf("exit %d, want %d with the summary and %s named:\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, addr, r.stdout, r.stderr)
	}
}

func TestProfileCheckUsage(t *testing.T) {
	for _, args := range [][]string{{"profile"}, {"profile", "lint", "x.yaml"}, {"profile", "check"}, {"profile", "check", "a.yaml", "b.yaml"}, {"profile", "check", "--bogus", "a.yaml"}} {
		if r := cli(t, nil, args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, r.code, exitUsage, r.stderr)
		}
	}
}

// TestProfileCheckShippedProfiles: every shipped profile passes check once
// its variables are set.
func TestProfileCheckShippedProfiles(t *testing.T) {
	env := map[string]string{}
	for _, k := range []string{"KC", "OKTA", "AUTH0"} {
		env[k+"_ISSUER"] = "https://idp.example.com/" + strings.ToLower(k) + "/"
		for _, v := range []string{"_USER", "_PASSWORD", "_CONF_SECRET", "_PUBLIC_CLIENT_ID", "_CONF_CLIENT_ID", "_OTHER_CLIENT_ID"} {
			env[k+v] = strings.ToLower(k+v) + "-value"
		}
	}
	files, _ := filepath.Glob("../../profiles/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found %v", files)
	}
	for _, f := range files {
		r := cli(t, env, "profile", "check", f)
		if r.code != exitOK || !strings.Contains(r.stdout, "valid") {
			t.Errorf("%s: exit %d\n%s\n%s", f, r.code, r.stdout, r.stderr)
		}
	}
}
