package browser

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a small CLI (see runSignalHelper)
// instead of running the tests.
const helperEnv = "PKCECHECK_BROWSER_SIGNAL_HELPER"

func TestMain(m *testing.M) {
	if authURL := os.Getenv(helperEnv); authURL != "" {
		os.Exit(runSignalHelper(authURL))
	}
	os.Exit(m.Run())
}

// runSignalHelper behaves like the CLI: it starts a browser, runs an
// Authorize that never finishes on its own, and closes the browser from the
// signal handler on SIGINT, concurrently with that Authorize.
func runSignalHelper(authURL string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	b, err := Start(context.Background(), Options{StepTimeout: time.Minute, Login: loginSteps(testPassword)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start:", err)
		return 1
	}
	closed := make(chan error, 1)
	context.AfterFunc(ctx, func() { closed <- b.Close() })
	fmt.Printf("READY %d %s\n", b.PID(), b.UserDataDir())
	_, err = b.Authorize(context.Background(), authURL, unusedRedirect)
	if !errors.Is(err, ErrClosed) {
		fmt.Fprintln(os.Stderr, "Authorize returned", err, "want ErrClosed")
		b.Close()
		return 1
	}
	if err := <-closed; err != nil {
		fmt.Fprintln(os.Stderr, "close:", err)
		return 1
	}
	return 0
}

func TestSIGINTClosesBrowserDuringAuthorize(t *testing.T) {
	app := newLoginApp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+app.authURL(unusedRedirect, "sig", "stuck"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- line
	}()
	var pid int
	var dir string
	t.Cleanup(func() {
		// Only if the test failed midway: stop what the helper started.
		_ = cmd.Process.Kill()
		if pid > 0 {
			killGroup(pid)
		}
		if strings.Contains(dir, "pkcecheck-") {
			os.RemoveAll(dir)
		}
	})
	select {
	case line := <-ready:
		if _, err := fmt.Sscanf(line, "READY %d %s", &pid, &dir); err != nil {
			t.Fatalf("helper said %q (stderr: %s): %v", line, stderr.String(), err)
		}
	case err := <-exited:
		t.Fatalf("helper exited early: %v; stderr: %s", err, stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("helper did not start a browser within 2 minutes")
	}
	if !processAlive(pid) {
		t.Fatalf("chromium pid %d not alive", pid)
	}
	// Wait until the Authorize is in flight, then interrupt.
	deadline := time.Now().Add(time.Minute)
	for app.count(func() int { return app.stuckHits }) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the helper's Authorize never reached the page")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("helper: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(30 * time.Second): // half the helper's step timeout
		t.Fatal("helper still running 30s after SIGINT")
	}
	waitGone(t, pid)
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile dir %s still exists after SIGINT (stat: %v)", dir, err)
	}
}
