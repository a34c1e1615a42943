package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/refidp"
)

// Credentials of the reproducer tests' reference providers: the flawed and
// the clean one share them, so one profile file (issuer from the
// environment) serves both.
const (
	reproUser     = "repro-user"
	reproPassword = "repro-pw-Heron-Basalt-5c1f"
	reproSecret   = "repro-cs-Lynx-Marble-93ad"
)

// reproProfile is the demo's profile as a file: the issuer and the secrets
// from the environment, the private_key_jwt key from a file.
const reproProfile = `name: reproducer check
issuer: ${REPRO_ISSUER}
clients:
  public: {id: %[1]s, auth_method: none, redirect_uri: %[4]q, redirect_uri_with_query: %[5]q, scopes: [openid]}
  confidential:
    id: %[2]s
    secret: "${REPRO_SECRET}"
    auth_method: client_secret_basic
    auth_methods: [client_secret_basic, client_secret_post, private_key_jwt]
    private_key_jwt: {key_file: %[10]q}
    redirect_uri: %[4]q
    scopes: [openid]
  other: {id: %[3]s, auth_method: none, redirect_uri: %[4]q, scopes: [openid]}
login:
  steps:
    - {fill: %[6]q, value: "${REPRO_USER}"}
    - {fill: %[7]q, value: "${REPRO_PASSWORD}"}
    - {click: %[8]q}
  consent:
    - {click: %[9]q}
flows: {response_modes: [form_post, fragment]}
limits: {requests_per_second: 500, timeout: 10s}
`

// reproFixture is a profile file and the key it names, for servers started
// with reproConfig.
type reproFixture struct {
	profile string
	key     *ecdsa.PrivateKey
}

func newReproFixture(t *testing.T) reproFixture {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "client.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(reproProfile, refidp.PublicClientID, refidp.ConfidentialClientID, refidp.OtherClientID,
		refidp.DemoRedirectURI, refidp.DemoRedirectURI+"?from=pkcecheck",
		refidp.UsernameSelector, refidp.PasswordSelector, refidp.LoginButtonSelector, refidp.ConsentSelector, keyFile)
	path := filepath.Join(dir, "repro.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return reproFixture{profile: path, key: key}
}

// start starts a reference provider with flaws, stopped at cleanup.
func (f reproFixture) start(t *testing.T, flaws ...string) *refidp.Server {
	t.Helper()
	srv, err := refidp.StartDemo(context.Background(), refidp.Config{
		Username: reproUser, Password: reproPassword, ConfidentialSecret: reproSecret, RedirectURI: refidp.DemoRedirectURI,
		Consent: true, Flaws: flaws, ClientKey: f.key,
	})
	if err != nil {
		t.Fatalf("start the reference provider with %v: %v", flaws, err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// env is the environment the profile reads, for srv.
func (f reproFixture) env(srv *refidp.Server) []string {
	return []string{"REPRO_ISSUER=" + srv.Issuer(), "REPRO_USER=" + reproUser, "REPRO_PASSWORD=" + reproPassword, "REPRO_SECRET=" + reproSecret}
}

// shell runs script with /bin/sh (pkcecheck on PATH, env added) and
// returns its stdout, stderr and exit status.
func shell(t *testing.T, env []string, script string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", script, "sh"}, args...)...)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	cmd.Dir = t.TempDir()
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return so.String(), se.String(), 0
	case errors.As(err, &ee):
		return so.String(), se.String(), ee.ExitCode()
	}
	t.Fatalf("sh: %v", err)
	return "", "", 0
}

// codeLines are the pkcecheck code commands a reproducer names at its top
// (the eval lines), and the ones that only show an authorization's answer.
var (
	evalLine = regexp.MustCompile(`(?m)^#   eval "\$\((pkcecheck code .*)\)"$`)
	seeLine  = regexp.MustCompile(`(?m)^#   see the answer with: (pkcecheck code .*) \(it prints the redirect on stderr\)$`)
)
