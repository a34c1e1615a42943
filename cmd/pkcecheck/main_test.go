package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// binary is the pkcecheck binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pkcecheck-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "pkcecheck")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("build pkcecheck: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cliResult is what one pkcecheck invocation produced.
type cliResult struct {
	code           int
	stdout, stderr string
	run            *results.Run // results.json, if written
	out            string       // the --out directory
}

// pkcecheck runs the binary with args (an --out directory is added) and env.
func pkcecheck(t *testing.T, env []string, args ...string) cliResult {
	t.Helper()
	out := t.TempDir()
	full := append(append([]string(nil), args...), "--out", out)
	if args[0] == "list" || args[0] == "version" || args[0] == "repro" {
		full = args
	}
	r := binaryRun(t, env, full...)
	r.out = out
	if data, err := os.ReadFile(filepath.Join(out, "results.json")); err == nil {
		r.run = new(results.Run)
		if err := json.Unmarshal(data, r.run); err != nil {
			t.Fatalf("results.json: %v", err)
		}
	}
	return r
}

func statuses(run *results.Run) map[string]results.Status {
	m := map[string]results.Status{}
	for _, r := range run.Results {
		m[r.ID] = r.Status
	}
	return m
}

func TestList(t *testing.T) {
	r := pkcecheck(t, nil, "list")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, req := range requirements.All() {
		if !strings.Contains(r.stdout, string(req.ID)) {
			t.Errorf("list lacks %s", req.ID)
		}
	}
}

// TestListWhere: list --where names, for every requirement, its spec file,
// and the flaws and fuzz rules the catalogue links give it.
func TestListWhere(t *testing.T) {
	r := pkcecheck(t, nil, "list", "--where")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"Verifier checks\n  rfc7636.s256-roundtrip  MUST",
		"    specs: suites/verifier.go:",
		"    flaws: s256-short-only",
		"    fuzz:  authorize.s256-refused, token.s256-refused",
		"    sweeps: verifier with '+' as the first character (64 characters);",
		"    sweeps: method \" S256\"; method \"S25\"",
		"  rfc6749.code-race-mixed  MUST",
		"    fuzz:  - (not fuzzed: a timing property: concurrent redemptions",
		"Informational\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("list --where lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := strings.Count(r.stdout, "    specs: "); n != len(requirements.All()) {
		t.Errorf("%d spec lines for %d requirements", n, len(requirements.All()))
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"run"}, {"run", "--profile"}, {"demo", "--flaws", "no-such-flaw"}} {
		r := pkcecheck(t, nil, args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, exitUsage, r.stderr)
		}
	}
}

// TestUsageListsEveryCommand: the usage text has a line for each command
// run dispatches, and an unknown command's error names them all.
func TestUsageListsEveryCommand(t *testing.T) {
	for name := range commands {
		if usageLine(name) < 0 {
			t.Errorf("usage does not list %q:\n%s", name, usage)
		}
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, &bytes.Buffer{}, &stderr); code != exitUsage {
		t.Fatalf("unknown command: exit %d, want %d", code, exitUsage)
	}
	want := "(want run, demo, fuzz, login, init, code, repro, profile, list or version)"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("unknown command error = %q, want it to contain %q", stderr.String(), want)
	}
}
