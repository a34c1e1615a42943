package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/refidp"
)

// shortTmp makes a short TMPDIR for a pkcecheck process (Chromium's socket
// paths under it must stay short) and removes it at the end of the test,
// after stopping any process still using it (a Chromium left by a test
// that failed midway; the path is this test's own).
func shortTmp(t *testing.T) string {
	t.Helper()
	tmp, err := os.MkdirTemp("", "pkc-rel-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		killProcessesMentioning(tmp)
		os.RemoveAll(tmp)
	})
	return tmp
}

// killProcessesMentioning sends SIGKILL to each process whose command line
// contains s, and to the process group it leads (Chromium and its helpers).
func killProcessesMentioning(s string) {
	for _, pid := range pidsMentioning(s) {
		if pgid, err := syscall.Getpgid(pid); err == nil && pgid == pid {
			syscall.Kill(-pid, syscall.SIGKILL)
		}
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// assertNoLeftovers checks, after a pkcecheck process has exited, that no
// process uses tmp (waiting up to 15 s for stragglers to be reaped) and
// that nothing is left in it: no Chromium, no temporary browser profile.
func assertNoLeftovers(t *testing.T, tmp string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for processesMentioning(tmp) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := processesMentioning(tmp); n > 0 {
		t.Errorf("%d processes still use %s", n, tmp)
	}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
}

// timedRun runs the binary with TMPDIR=tmp and returns its result and how
// long it took.
func timedRun(t *testing.T, tmp string, env []string, args ...string) (cliResult, time.Duration) {
	t.Helper()
	start := time.Now()
	r := pkcecheck(t, append([]string{"TMPDIR=" + tmp}, env...), args...)
	d := time.Since(start)
	t.Logf("TIMING pkcecheck %s: exit %d in %d ms", args[0], r.code, d.Milliseconds())
	if os.Getenv("PKC_DEBUG") != "" {
		t.Logf("stderr:\n%s", r.stderr)
	}
	return r, d
}

// refEnv holds the reference provider's secrets for refProfile.
var refEnv = []string{"PKC_LOGIN_PASSWORD=" + loginTestPassword, "PKC_LOGIN_CONF_SECRET=" + loginTestSecret}

// refProfile writes a profile for a reference provider at issuer started
// with the loginTest* credentials (startTestIDP, startTLSTestIDP); extra
// is appended (top-level YAML).
func refProfile(t *testing.T, issuer, extra string) string {
	t.Helper()
	return writeProfile(t, `name: reference
issuer: `+issuer+`
clients:
  public: {id: `+refidp.PublicClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
  confidential: {id: `+refidp.ConfidentialClientID+`, secret: "${PKC_LOGIN_CONF_SECRET}", redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
  other: {id: `+refidp.OtherClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
login:
  steps:
    - {fill: "`+refidp.UsernameSelector+`", value: "`+loginTestUser+`"}
    - {fill: "`+refidp.PasswordSelector+`", value: "${PKC_LOGIN_PASSWORD}"}
    - {click: "`+refidp.LoginButtonSelector+`"}
  consent:
    - {click: "`+refidp.ConsentSelector+`"}
`+extra)
}

// startRefIDP starts the reference provider with the loginTest*
// credentials, over TLS when cfg.TLSCert is set.
func startRefIDP(t *testing.T, cfg refidp.Config) *refidp.Server {
	t.Helper()
	cfg.Username, cfg.Password, cfg.ConfidentialSecret = loginTestUser, loginTestPassword, loginTestSecret
	cfg.Consent = true
	srv, err := refidp.StartDemo(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// screenshots lists the login-failure screenshots in dir.
func screenshots(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "login-failure-*.png"))
	var out []string
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			out = append(out, f)
		}
	}
	return out
}

// assertNoPanic checks that the console shows no Go panic.
func assertNoPanic(t *testing.T, r cliResult) {
	t.Helper()
	for _, bad := range []string{"panic:", "goroutine "} {
		if strings.Contains(r.stderr, bad) || strings.Contains(r.stdout, bad) {
			t.Errorf("the console shows %q:\n%s", bad, r.stderr)
		}
	}
}
