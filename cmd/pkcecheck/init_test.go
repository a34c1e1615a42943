package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// initVars are the variables init is told about in these tests.
const (
	initUserVar   = "PKC_INIT_USER"
	initPassVar   = "PKC_INIT_PASSWORD"
	initSecretVar = "PKC_INIT_CONF_SECRET"
	initTOTPVar   = "PKC_INIT_TOTP_SECRET"
)

// binaryRun runs the pkcecheck binary with args and env ("NAME=value"
// entries) as a real process, with no --out added.
func binaryRun(t *testing.T, env []string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	began := time.Now()
	err := cmd.Run()
	t.Logf("TIMING pkcecheck %s: %d ms", args[0], time.Since(began).Milliseconds())
	r := cliResult{stdout: so.String(), stderr: se.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run pkcecheck %v: %v", args, err)
	}
	return r
}

// initTarget is a provider init is tried on.
type initTarget struct {
	issuer                 string
	public                 []string // --client-id
	confidential           []string // --confidential-client
	redirectURI            string
	user, password, secret string
	totp                   string   // the account's TOTP secret, if any
	args                   []string // more flags (--scopes ...)
}

// runInit writes a profile for tg with init (a real process) and checks
// it: written, ${VAR}s and no value of a secret, every step commented
// with how it was found, accepted by profile check.
func runInit(t *testing.T, tg initTarget) (path, text string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "init.yaml")
	args := []string{"init", "--issuer", tg.issuer, "--redirect-uri", tg.redirectURI,
		"--username-var", initUserVar, "--password-var", initPassVar, "--out", path, "--artifacts", t.TempDir()}
	for _, id := range tg.public {
		args = append(args, "--client-id", id)
	}
	for _, id := range tg.confidential {
		args = append(args, "--confidential-client", id)
	}
	if len(tg.confidential) > 0 {
		args = append(args, "--client-secret-var", initSecretVar)
	}
	if tg.totp != "" {
		args = append(args, "--totp-secret-var", initTOTPVar)
	}
	r := binaryRun(t, tg.env(), append(args, tg.args...)...)
	if r.code != exitOK {
		t.Fatalf("init: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text = string(data)
	t.Logf("init wrote:\n%s", text)
	leaks := []string{tg.password, tg.secret, tg.totp}
	if len(tg.user) >= 12 { // a distinctive user name (Keycloak's, pkcecheck, is the realm's name too)
		leaks = append(leaks, tg.user)
	}
	for _, secret := range leaks {
		if secret != "" && strings.Contains(text+r.stdout+r.stderr, secret) {
			t.Errorf("the profile or init's output shows a value of the account or a secret")
		}
	}
	for _, want := range []string{`"${` + initUserVar + `}"`, `"${` + initPassVar + `}"`, "steps:", "page, detected: "} {
		if !strings.Contains(text, want) {
			t.Errorf("the profile lacks %q", want)
		}
	}
	if c := binaryRun(t, tg.env(), "profile", "check", path); c.code != exitOK {
		t.Fatalf("profile check of init's profile: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	return path, text
}

func (tg initTarget) env() []string {
	return []string{initUserVar + "=" + tg.user, initPassVar + "=" + tg.password, initSecretVar + "=" + tg.secret, initTOTPVar + "=" + tg.totp}
}

// initDifferences are the requirements whose verdict may differ between a
// shipped profile and init's, because init is not told what they need:
// a second registered redirect URI with a query (redirect_uri_with_query).
var initDifferences = map[string]string{
	string(requirements.RedirectKeepsQuery): "needs redirect_uri_with_query, which init does not ask for (its profile says how to add it)",
}

// initMore are the requirements a shipped profile may leave out (skip)
// where init's profile checks them and they pass: init lists every
// response mode the public client got a code with (Hydra's form_post),
// a shipped profile may list fewer.
var initMore = map[string]bool{string(requirements.FormPostEnforced): true, string(requirements.FragmentEnforced): true}

// sameInitVerdicts fails unless the runs give every requirement the same
// status, initDifferences aside, and initMore passing where the shipped
// profile skipped them (or, for a requirement whose result depends on
// timing, statuses both in its either list).
func sameInitVerdicts(t *testing.T, shipped, got *results.Run, either map[string][]results.Status) {
	t.Helper()
	want, have := statuses(shipped), statuses(got)
	for id, st := range want {
		if _, ok := initDifferences[id]; ok {
			continue
		}
		if st == results.Skip && initMore[id] && have[id] == results.Pass {
			continue
		}
		if e := either[id]; have[id] != st && !(len(e) > 1 && slices.Contains(e, have[id]) && slices.Contains(e, st)) {
			t.Errorf("%s: %s with init's profile, %s with the shipped one", id, have[id], st)
		}
	}
	for id := range have {
		if _, ok := want[id]; !ok {
			t.Errorf("%s only judged with init's profile", id)
		}
	}
}

// checkInit writes a profile for tg with init and runs it: the same exit
// status and verdicts as shipped (the run of the shipped profile on the
// same server), with every login step given (none detected).
func checkInit(t *testing.T, shipped cliResult, tg initTarget, either map[string][]results.Status) (profile string) {
	t.Helper()
	path, text := runInit(t, tg)
	got := runProfile(t, tg.env(), path)
	if got.code != shipped.code {
		t.Errorf("run of init's profile: exit %d, the shipped profile's %d\n%s", got.code, shipped.code, got.stderr)
	}
	if shipped.run == nil {
		t.Fatal("the shipped profile's run wrote no results.json")
	}
	sameInitVerdicts(t, shipped.run, got.run, either)
	if l := got.run.Login; l == nil || l.Mode != results.LoginGiven {
		t.Errorf("init's profile ran with login %+v, want every step given", l)
	}
	var secrets []string
	for _, s := range []string{tg.password, tg.secret, tg.totp} {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	assertNoSecrets(t, got, secrets...)
	return text
}

// runProfile runs `pkcecheck run` (a real process) on path.
func runProfile(t *testing.T, env []string, path string) cliResult {
	t.Helper()
	r := pkcecheck(t, env, "run", "--profile", path, "--quiet")
	if r.run == nil {
		t.Fatalf("run wrote no results.json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return r
}

// TestInitReference: init on the reference provider (the demo, with
// consent; and identifier-first without a login session, so every code
// costs a login) writes a profile whose run gives the verdicts and exit
// status of the demo's own profile, with no edit, every step given.
func TestInitReference(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  refidp.Config
		want []string // lines of the profile
	}{
		{"consent", refidp.Config{}, []string{`{fill: "#username", value: "${PKC_INIT_USER}"}`, `{click: "#approve"}`, "consent:",
			"auth_method: client_secret_basic", "response_modes: [form_post, fragment]"}},
		{"identifier-first, no session", refidp.Config{NoSession: true}, []string{`{fill: "#username", value: "${PKC_INIT_USER}"}`,
			`{click: "#next"}`, `{fill: "#password", value: "${PKC_INIT_PASSWORD}"}`, `identifier page, detected: `}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startRefIDP(t, c.cfg)
			tg := initTarget{issuer: srv.Issuer(), public: []string{refidp.PublicClientID, refidp.OtherClientID},
				confidential: []string{refidp.ConfidentialClientID}, redirectURI: refidp.DemoRedirectURI,
				user: loginTestUser, password: loginTestPassword, secret: loginTestSecret}
			shipped := runProfile(t, tg.env(), demoProfile(t, srv, c.cfg.NoSession))
			text := checkInit(t, shipped, tg, nil)
			for _, want := range c.want {
				if !strings.Contains(text, want) {
					t.Errorf("the profile lacks %q", want)
				}
			}
		})
	}
}

// demoProfile is the demo's own profile (refidp's Server.Profile) as a
// file: the same clients, steps and response modes, the secrets from the
// variables init is given.
func demoProfile(t *testing.T, srv *refidp.Server, identifierFirst bool) string {
	t.Helper()
	next := ""
	if identifierFirst {
		next = "\n    - {click: \"" + refidp.NextSelector + "\"}"
	}
	return writeProfile(t, `name: reference
issuer: `+srv.Issuer()+`
clients:
  public: {id: `+refidp.PublicClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid], redirect_uri_with_query: "`+srv.QueryRedirectURI()+`"}
  confidential: {id: `+refidp.ConfidentialClientID+`, secret: "${`+initSecretVar+`}", auth_methods: [client_secret_basic, client_secret_post], redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
  other: {id: `+refidp.OtherClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
login:
  steps:
    - {fill: "`+refidp.UsernameSelector+`", value: "${`+initUserVar+`}"}`+next+`
    - {fill: "`+refidp.PasswordSelector+`", value: "${`+initPassVar+`}"}
    - {click: "`+refidp.LoginButtonSelector+`"}
  consent:
    - {click: "`+refidp.ConsentSelector+`"}
flows: {response_modes: [form_post, fragment]}
policy: {pkce_required: public, plain: forbidden, error_codes: strict}
`)
}

// TestInitUsage: what init cannot work from is exit 2 with the cause
// named, before anything is started; an existing --out is kept.
func TestInitUsage(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "have.yaml")
	if err := os.WriteFile(existing, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "new.yaml")
	base := []string{"init", "--issuer", "http://127.0.0.1:1", "--client-id", "app", "--redirect-uri", "http://127.0.0.1:8765/callback",
		"--username-var", initUserVar, "--password-var", initPassVar}
	env := map[string]string{initUserVar: "u-Init-7a1d", initPassVar: "pw-Init-Usage-Kite-3c9e", "PKC_INIT_UNSET": ""}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no issuer", []string{"init", "--client-id", "app", "--out", out}, "--issuer URL"},
		{"no out", base, "--out FILE"},
		{"no public client", []string{"init", "--issuer", "http://127.0.0.1:1", "--redirect-uri", "http://127.0.0.1:8765/callback",
			"--username-var", initUserVar, "--password-var", initPassVar, "--out", out}, "needs a public client"},
		{"a value for a name", append(append([]string{}, base...), "--out", out, "--confidential-client", "c",
			"--client-secret-var", "pw-Init-Usage-Kite-3c9e"), "the NAME of an environment variable"},
		{"unset variable", append(append([]string{}, base...), "--out", out, "--totp-secret-var", "PKC_INIT_UNSET"), "PKC_INIT_UNSET: the variable is not set"},
		{"secret without client", append(append([]string{}, base...), "--out", out, "--client-secret-var", initPassVar), "without --confidential-client"},
		{"existing out", append(append([]string{}, base...), "--out", existing), "does not overwrite it without --force"},
		{"relative issuer", []string{"init", "--issuer", "idp.example.com", "--client-id", "app", "--redirect-uri", "http://127.0.0.1:8765/callback",
			"--username-var", initUserVar, "--password-var", initPassVar, "--out", out}, "is not an absolute URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, env, c.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, want %d with %q\nstderr:\n%s", r.code, exitUsage, c.want, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "pw-Init-Usage-Kite-3c9e") {
				t.Errorf("the message shows the value given")
			}
		})
	}
	if data, _ := os.ReadFile(existing); string(data) != "keep me\n" {
		t.Errorf("init changed an existing --out without --force")
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("init wrote %s on a usage error", out)
	}
}

// TestInitQuoting: every value init writes reads back as it was, and a
// recorded selector's $ is not taken for a variable.
func TestInitQuoting(t *testing.T) {
	for _, v := range []string{`input[name="login"]`, `a'b"c`, "tab\there", `back\slash "q"`, `ü "x"`, "plain"} {
		p, err := profiles.Parse("q.yaml", []byte("name: "+quoted(literal(v))+`
issuer: http://127.0.0.1:1
clients: {public: {id: app, redirect_uri: "http://127.0.0.1:8765/callback"}}
login: {steps: [{click: `+quoted(literal(v+"[name$=x]"))+`}]}
`), nil)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if p.Name != v || p.Login.Steps[0].Click != v+"[name$=x]" {
			t.Errorf("%q read back as %q and %q", v, p.Name, p.Login.Steps[0].Click)
		}
	}
}

// TestInitEndpointsOnly: from the two endpoints alone (no issuer, no
// metadata) init writes a profile with them, and its login works.
func TestInitEndpointsOnly(t *testing.T) {
	srv := startRefIDP(t, refidp.Config{})
	path := filepath.Join(t.TempDir(), "init.yaml")
	env := initTarget{user: loginTestUser, password: loginTestPassword}.env()
	r := binaryRun(t, env, "init", "--authorization-endpoint", srv.Issuer()+"/authorize", "--token-endpoint", srv.Issuer()+"/token",
		"--client-id", refidp.PublicClientID, "--redirect-uri", refidp.DemoRedirectURI, "--scopes", "openid",
		"--username-var", initUserVar, "--password-var", initPassVar, "--out", path, "--artifacts", t.TempDir())
	if r.code != exitOK {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	text := string(must(os.ReadFile(path)))
	for _, want := range []string{"endpoints:", `authorization: "` + srv.Issuer() + `/authorize"`, "steps:", "given with --scopes"} {
		if !strings.Contains(text, want) {
			t.Errorf("the profile lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\nissuer:") {
		t.Errorf("the profile names an issuer it was not given:\n%s", text)
	}
	if l := binaryRun(t, env, "login", "--profile", path, "--out", t.TempDir()); l.code != exitOK || !strings.Contains(l.stdout, "login steps: given") {
		t.Errorf("login with init's profile: exit %d\n%s%s", l.code, l.stdout, l.stderr)
	}
}

// TestInitWrongPassword: a refused password stops init with exit 3 after
// one attempt, quoting the page's message and listing the page; nothing
// is written.
func TestInitWrongPassword(t *testing.T) {
	srv := startRefIDP(t, refidp.Config{})
	const wrong = "wrong-Init-Pw-Lynx-41d0"
	path := filepath.Join(t.TempDir(), "init.yaml")
	r := binaryRun(t, initTarget{user: loginTestUser, password: wrong}.env(), "init", "--issuer", srv.Issuer(),
		"--client-id", refidp.PublicClientID, "--redirect-uri", refidp.DemoRedirectURI,
		"--username-var", initUserVar, "--password-var", initPassVar, "--out", path, "--artifacts", t.TempDir())
	if r.code != exitUnreachable {
		t.Fatalf("init: exit %d, want %d\n%s%s", r.code, exitUnreachable, r.stdout, r.stderr)
	}
	for _, want := range []string{"login rejected", `"Wrong username or password."`, "what the page offers:", "#password"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
	if strings.Contains(r.stdout+r.stderr, wrong) {
		t.Errorf("the output shows the password typed")
	}
	if st := srv.Stats(); st.LoginFailures != 1 || st.Logins != 0 {
		t.Errorf("the server saw %d failed and %d good logins; want exactly one attempt", st.LoginFailures, st.Logins)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("init wrote %s after a refused login", path)
	}
}
