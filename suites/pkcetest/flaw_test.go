package pkcetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/suites/pkcetest"
)

// Environment of the re-executed test binary in TestCheckFlawed.
const (
	envFlaw = "PKCETEST_FLAW" // the flaw to switch on; set only in the child
	envOut  = "PKCETEST_OUT"  // where the child's reports go
)

// flawFilter selects the requirement prefix-compare trips and one it does
// not.
const flawFilter = "rfc7636.verifier-mismatch || rfc7636.s256-roundtrip"

// TestCheckFlawed: against a server that compares only a prefix of the
// S256 challenge, Check fails the test and its report marks
// rfc7636.verifier-mismatch failed, with only the requirements the label
// filter selects; a second Check in the same binary fails its test. Ginkgo runs its specs once per process,
// so the test re-executes its own binary to run this second Check: in the
// child (envFlaw set) it is the server's failing test, in the parent it
// checks what the child did.
func TestCheckFlawed(t *testing.T) {
	if flaw := os.Getenv(envFlaw); flaw != "" {
		checkFlawedServer(t, flaw, os.Getenv(envOut))
		return
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCheckFlawed$", "-test.count=1")
	cmd.Env = append(os.Environ(), envFlaw+"=prefix-compare", envOut+"="+out)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("the flawed server's test should fail with exit status 1, got %v:\n%s", err, stdout.String())
	}
	for _, want := range []string{"--- FAIL: TestCheckFlawed", "rfc7636.verifier-mismatch: FAIL: ",
		"--- FAIL: TestCheckFlawed/second_check", "Check runs once per test binary"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the child's output lacks %q:\n%s", want, stdout.String())
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatalf("the child wrote no report: %v\n%s", err, stdout.String())
	}
	var report pkcetest.Report
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	got := map[string]pkcetest.Status{}
	for _, r := range report.Results {
		got[r.ID] = r.Status
	}
	want := map[string]pkcetest.Status{"rfc7636.verifier-mismatch": pkcetest.Fail, "rfc7636.s256-roundtrip": pkcetest.Pass}
	if len(got) != len(want) {
		t.Errorf("results %v: want exactly the requirements the label filter selects, %v", got, want)
	}
	for id, s := range want {
		if got[id] != s {
			t.Errorf("%s: %q, want %q", id, got[id], s)
		}
	}
}

// checkFlawedServer is the child's side of TestCheckFlawed: a server's test
// of itself with a flaw switched on. It fails t.
func checkFlawedServer(t *testing.T, flaw, out string) {
	srv, err := refidp.StartDemo(context.Background(), refidp.Config{
		Username: "pkcetest-user", Password: "pkcetest-password-Vq7k", RedirectURI: "http://127.0.0.1:8765/callback",
		ConfidentialSecret: "pkcetest-secret-Hw2m", Consent: true, Flaws: []string{flaw},
	})
	if err != nil {
		t.Fatalf("start the reference provider: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	pkcetest.Check(t, srv.Profile(), pkcetest.Options{OutDir: out, LabelFilter: flawFilter})
	// A second Check in the same binary fails its test instead of ending
	// the process (Ginkgo would exit on a second RunSpecs).
	t.Run("second check", func(t *testing.T) {
		pkcetest.Check(t, srv.Profile(), pkcetest.Options{})
	})
}
