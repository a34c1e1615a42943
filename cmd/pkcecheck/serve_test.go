package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoServeTwoCommands is the README's reproduction: pkcecheck demo
// --serve keeps the flawed provider running; pkcecheck repro writes the
// finding's script; its pkcecheck code line and sh show the tokens the
// flaw lets through. Ctrl-C (SIGINT) then stops the demo with the run's
// exit status.
func TestDemoServeTwoCommands(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	demo := exec.CommandContext(ctx, binary, "demo", "--flaws", "prefix-compare", "--serve", "--http-first",
		"--label-filter", "rfc7636.verifier-mismatch", "--quiet", "--out", out)
	demo.Dir = filepath.Dir(out)
	stderr, err := demo.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Process.Kill(); demo.Wait() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "still running") {
				ready <- sc.Text()
			}
		}
	}()
	select {
	case line := <-ready:
		if !strings.Contains(line, filepath.Join(out, serveProfileFile)) {
			t.Errorf("the demo does not name its profile: %s", line)
		}
	case <-ctx.Done():
		t.Fatal("pkcecheck demo --serve never said it kept running")
	}
	r := pkcecheck(t, nil, "repro", "--results", out, "rfc7636.verifier-mismatch")
	if r.code != 0 {
		t.Fatalf("repro: exit %d: %s", r.code, r.stderr)
	}
	script := filepath.Join(t.TempDir(), "repro.sh")
	if err := os.WriteFile(script, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^#   (eval "\$\(pkcecheck code .*\)")$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no pkcecheck code line:\n%s", r.stdout)
	}
	so, se, code := shell(t, nil, m[1]+` && sh "$1"`, script)
	if code != 0 || !strings.Contains(so, "HTTP/1.1 200 OK") || !strings.Contains(so, `"access_token"`) {
		t.Errorf("the two commands did not show the tokens (exit %d):\n%s\n%s", code, so, se)
	}
	demo.Process.Signal(syscall.SIGINT)
	err = demo.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailed {
		t.Errorf("demo --serve after SIGINT: %v, want exit %d (the run's status)", err, exitFailed)
	}
}
