package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strconv"
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
// Chromium process and no temporary browser profile behind. Each moment is
// a state the test waits for (a line on stderr, Chromium's process, a
// request reaching a server), never a fixed time, so the test holds on a
// slow or loaded machine.
func TestNoLeftoversAfterSignals(t *testing.T) {
	srv := startRefIDP(t, refidp.Config{})
	// hanging: a login that never ends; the moment is its /authorize
	// request reaching the server, Chromium being in the login.
	hanging := func(t *testing.T) (string, moment) {
		h := testserver.StartHanging(t)
		return hangingLoginProfile(t, h.Issuer), moment{"logging in at", "the login's request at /authorize",
			func() bool { return h.AuthorizeRequests() > 0 }}
	}
	// chromiumStarts: the moment is Chromium's process existing, right
	// after the line (the browser starts while discovery runs).
	chromiumStarts := func(line string) moment { return moment{line: line} }
	tests := []struct {
		name  string
		setup func(t *testing.T) ([]string, moment)
		sig   syscall.Signal
	}{
		{"run, SIGTERM while Chromium starts", func(t *testing.T) ([]string, moment) {
			return []string{"run", "--profile", refProfile(t, srv.Issuer(), "")}, chromiumStarts("discovering")
		}, syscall.SIGTERM},
		{"run, SIGTERM during the login", func(t *testing.T) ([]string, moment) {
			p, m := hanging(t)
			return []string{"run", "--profile", p}, m
		}, syscall.SIGTERM},
		{"run, SIGINT during the login", func(t *testing.T) ([]string, moment) {
			p, m := hanging(t)
			return []string{"run", "--profile", p}, m
		}, syscall.SIGINT},
		{"run, SIGTERM during the specs", func(t *testing.T) ([]string, moment) {
			return []string{"run", "--profile", refProfile(t, srv.Issuer(), "")},
				moment{"running the suites", "a spec's token request", tokenRequestAfter(srv)}
		}, syscall.SIGTERM},
		{"demo, SIGTERM while Chromium starts", func(t *testing.T) ([]string, moment) {
			return []string{"demo"}, chromiumStarts("reference provider at")
		}, syscall.SIGTERM},
		{"demo, SIGTERM during the specs", func(t *testing.T) ([]string, moment) {
			// demo's provider runs inside it: the line is the state.
			return []string{"demo"}, moment{line: "running the suites"}
		}, syscall.SIGTERM},
		{"fuzz, SIGTERM while Chromium starts", func(t *testing.T) ([]string, moment) {
			return []string{"fuzz", "--demo", "--seed", "5"}, chromiumStarts("reference provider at")
		}, syscall.SIGTERM},
		{"fuzz, SIGINT during the login", func(t *testing.T) ([]string, moment) {
			p, m := hanging(t)
			return []string{"fuzz", "--profile", p, "--seed", "5"}, m
		}, syscall.SIGINT},
		{"fuzz, SIGTERM during the campaign", func(t *testing.T) ([]string, moment) {
			// the first progress line: 25 token cases done, more to come.
			return []string{"fuzz", "--demo", "--seed", "5"}, moment{line: "fuzz: 25/"}
		}, syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := shortTmp(t)
			args, at := tt.setup(t)
			cmd := exec.Command(binary, append(args, "--out", t.TempDir())...)
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
			w := watchStderr(stderr, at.line)
			w.waitFor(t, "the line "+strconv.Quote(at.line), func() bool { return w.seen() })
			if at.reached != nil {
				w.waitFor(t, at.what, at.reached)
			}
			// Every moment is one with Chromium running: the test must see
			// it to see its leftovers.
			w.waitFor(t, "a Chromium using "+tmp, func() bool { return processesMentioning(tmp) > 0 })
			signalled := time.Now()
			cmd.Process.Signal(tt.sig)
			done := make(chan error, 1)
			go func() { <-w.ended; done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("did not exit within 30s of %v:\n%s", tt.sig, w.lines())
			}
			code := cmd.ProcessState.ExitCode()
			t.Logf("TIMING exit %d %d ms after %v", code, time.Since(signalled).Milliseconds(), tt.sig)
			if code != exitInterrupted {
				t.Errorf("exit %d after %v, want %d\n%s", code, tt.sig, exitInterrupted, w.lines())
			}
			if strings.Contains(w.lines(), "panic:") {
				t.Errorf("panic:\n%s", w.lines())
			}
			assertNoLeftovers(t, tmp)
		})
	}
}

// moment is when a signal test sends its signal: once a stderr line
// starting with line has appeared and then reached (if set) holds, and a
// Chromium of the process runs.
type moment struct {
	line    string
	what    string // what reached waits for, for messages
	reached func() bool
}

// tokenRequestAfter holds once srv has had a token request after its
// first call (made when the moment's line appears).
func tokenRequestAfter(srv *refidp.Server) func() bool {
	before := -1
	return func() bool {
		n := srv.Stats().TokenRequests
		if before < 0 {
			before = n
		}
		return n > before
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

// hangingLoginProfile is a profile for a testserver.Hanging at issuer,
// whose login never ends: discovery answers, /authorize hangs (up to the
// 20 s timeout).
func hangingLoginProfile(t *testing.T, issuer string) string {
	t.Helper()
	return writeProfile(t, `name: hanging login
issuer: `+issuer+`
clients:
  public: {id: pkce-public, redirect_uri: "`+refidp.DemoRedirectURI+`"}
login:
  steps:
    - {fill: "#username", value: "u"}
    - {click: "#login"}
limits: {timeout: 20s}
`)
}

// stderrWatch follows a process's stderr (watchStderr).
type stderrWatch struct {
	mu      sync.Mutex
	all     []string
	reached bool
	// ended is closed when stderr ends: the process has exited (or closed
	// it).
	ended chan struct{}
}

// watchStderr reads r line by line, noting when a line starts with prefix.
func watchStderr(r io.Reader, prefix string) *stderrWatch {
	w := &stderrWatch{ended: make(chan struct{})}
	go func() {
		defer close(w.ended)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			w.mu.Lock()
			w.all = append(w.all, sc.Text())
			w.reached = w.reached || strings.HasPrefix(sc.Text(), prefix)
			w.mu.Unlock()
		}
	}()
	return w
}

// seen tells whether the prefix's line has appeared.
func (w *stderrWatch) seen() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reached
}

// lines is what was read so far.
func (w *stderrWatch) lines() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.all, "\n")
}

// stateTimeout bounds each wait for a state in the signal tests: far
// beyond what any state takes (a few seconds on a loaded machine), it only
// keeps a broken run from hanging the test.
const stateTimeout = 2 * time.Minute

// waitFor polls cond until it holds; the test fails if the process ends
// first (its stderr is shown) or after stateTimeout.
func (w *stderrWatch) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(stateTimeout)
	for !cond() {
		select {
		case <-w.ended:
			if cond() {
				return
			}
			t.Fatalf("the process ended before %s:\n%s", what, w.lines())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v:\n%s", what, stateTimeout, w.lines())
		}
	}
}
