package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/testserver"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// TestNoLeftoversAfterSignals sends SIGINT or SIGTERM to run, demo and
// fuzz at different moments (while Chromium starts, during the login,
// during the specs or the campaign): each exits promptly and leaves no
// Chromium process and no temporary browser profile behind.
func TestNoLeftoversAfterSignals(t *testing.T) {
	srv := startRefIDP(t, refidp.Config{})
	tests := []struct {
		name string
		args func(t *testing.T) []string
		// after: the stderr line (a prefix) that marks the moment; the
		// signal follows after delay.
		after string
		delay time.Duration
		sig   syscall.Signal
		// chromium: the signal waits until Chromium's process exists
		// (while it starts, it is sent as soon as it does); it must still
		// run when the signal is sent.
		chromium bool
	}{
		{"run, SIGTERM while Chromium starts", func(t *testing.T) []string {
			return []string{"run", "--profile", refProfile(t, srv.Issuer(), "")}
		}, "discovering", 0, syscall.SIGTERM, true},
		{"run, SIGTERM during the login", func(t *testing.T) []string {
			return []string{"run", "--profile", hangingLoginProfile(t)}
		}, "logging in at", 500 * time.Millisecond, syscall.SIGTERM, true},
		{"run, SIGINT during the login", func(t *testing.T) []string {
			return []string{"run", "--profile", hangingLoginProfile(t)}
		}, "logging in at", 500 * time.Millisecond, syscall.SIGINT, true},
		{"run, SIGTERM during the specs", func(t *testing.T) []string {
			return []string{"run", "--profile", refProfile(t, srv.Issuer(), "")}
		}, "running the suites", 100 * time.Millisecond, syscall.SIGTERM, true},
		{"demo, SIGTERM while Chromium starts", func(t *testing.T) []string {
			return []string{"demo"}
		}, "reference provider at", 0, syscall.SIGTERM, true},
		{"demo, SIGTERM during the specs", func(t *testing.T) []string {
			return []string{"demo"}
		}, "running the suites", 100 * time.Millisecond, syscall.SIGTERM, true},
		{"fuzz, SIGTERM while Chromium starts", func(t *testing.T) []string {
			return []string{"fuzz", "--demo", "--seed", "5"}
		}, "reference provider at", 0, syscall.SIGTERM, true},
		{"fuzz, SIGINT during the login", func(t *testing.T) []string {
			return []string{"fuzz", "--profile", hangingLoginProfile(t), "--seed", "5"}
		}, "logging in at", 500 * time.Millisecond, syscall.SIGINT, true},
		{"fuzz, SIGTERM during the campaign", func(t *testing.T) []string {
			return []string{"fuzz", "--demo", "--seed", "5"}
		}, "fuzzing client", 500 * time.Millisecond, syscall.SIGTERM, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := shortTmp(t)
			args := append(tt.args(t), "--out", t.TempDir())
			cmd := exec.Command(binary, args...)
			cmd.Env = append(os.Environ(), append(refEnv, "TMPDIR="+tmp)...)
			cmd.Stdout = io.Discard
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			lines, reached := watchStderr(stderr, tt.after)
			select {
			case ok := <-reached:
				if !ok {
					t.Fatalf("exited before %q:\n%s", tt.after, lines())
				}
			case <-time.After(60 * time.Second):
				t.Fatalf("no %q within 60s:\n%s", tt.after, lines())
			}
			time.Sleep(tt.delay)
			for deadline := time.Now().Add(10 * time.Second); tt.chromium && processesMentioning(tmp) == 0 && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			if tt.chromium && processesMentioning(tmp) == 0 {
				t.Fatalf("no Chromium uses %s when the signal is sent; the test cannot see leftovers", tmp)
			}
			signalled := time.Now()
			cmd.Process.Signal(tt.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("did not exit within 30s of %v:\n%s", tt.sig, lines())
			}
			code := cmd.ProcessState.ExitCode()
			t.Logf("TIMING exit %d %d ms after %v", code, time.Since(signalled).Milliseconds(), tt.sig)
			if code != exitInterrupted {
				t.Errorf("exit %d after %v, want %d\n%s", code, tt.sig, exitInterrupted, lines())
			}
			if strings.Contains(lines(), "panic:") {
				t.Errorf("panic:\n%s", lines())
			}
			assertNoLeftovers(t, tmp)
		})
	}
}

// TestNoLeftoversAfterCompletion: demo and fuzz that run to their end
// leave nothing behind either (run is covered by the TLS and rate-limit
// tests, which check the same).
func TestNoLeftoversAfterCompletion(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"demo", []string{"demo", "--label-filter", "rfc7636.s256-roundtrip"}},
		{"fuzz", []string{"fuzz", "--demo", "--budget", "3", "--seed", "7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := shortTmp(t)
			r, _ := timedRun(t, tmp, nil, tt.args...)
			if r.code != exitOK {
				t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
			}
			assertNoLeftovers(t, tmp)
		})
	}
}

// hangingLoginProfile is a profile whose login never ends: discovery
// answers, /authorize hangs (up to the 20 s timeout).
func hangingLoginProfile(t *testing.T) string {
	t.Helper()
	return writeProfile(t, `name: hanging login
issuer: `+testserver.HangingAuthorize(t)+`
clients:
  public: {id: pkce-public, redirect_uri: "`+refidp.DemoRedirectURI+`"}
login:
  steps:
    - {fill: "#username", value: "u"}
    - {click: "#login"}
limits: {timeout: 20s}
`)
}

// watchStderr reads r line by line; reached receives true when a line
// starts with prefix (false if r ends first). lines returns what was read.
func watchStderr(r io.Reader, prefix string) (lines func() string, reached <-chan bool) {
	var mu sync.Mutex
	var seen []string
	ch := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(r)
		sent := false
		for sc.Scan() {
			mu.Lock()
			seen = append(seen, sc.Text())
			mu.Unlock()
			if !sent && strings.HasPrefix(sc.Text(), prefix) {
				ch <- true
				sent = true
			}
		}
		if !sent {
			close(ch)
		}
	}()
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(seen, "\n")
	}, ch
}
