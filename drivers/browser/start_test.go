package browser

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// writeFakeChromium writes an executable shell script standing in for
// Chromium, and returns its path.
func writeFakeChromium(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fake-chromium")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStartFailureLeavesNothing starts fake browsers that fail in the ways a
// real one can, and checks that Start cleans up: no temp profile dir, no
// process.
func TestStartFailureLeavesNothing(t *testing.T) {
	tests := []struct {
		name    string
		script  string // the fake writes its PIDs to $FAKE_CHROMIUM_PIDS (replaced by the path: Chromium gets no inherited environment)
		timeout time.Duration
		want    string
	}{
		{name: "exits at once", script: `echo $$ >> "$FAKE_CHROMIUM_PIDS"; echo "fake: cannot open display" >&2; exit 1`, timeout: 10 * time.Second, want: "cannot open display"},
		{name: "hangs with a child", script: `echo $$ >> "$FAKE_CHROMIUM_PIDS"; sleep 60 & echo $! >> "$FAKE_CHROMIUM_PIDS"; wait`, timeout: 700 * time.Millisecond, want: "no DevTools connection after 700ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp) // where Start creates the profile dir
			pidFile := filepath.Join(t.TempDir(), "pids")
			exe := writeFakeChromium(t, strings.ReplaceAll(tt.script, "$FAKE_CHROMIUM_PIDS", pidFile))
			t.Cleanup(func() { killPIDsIn(pidFile) })

			b, err := Start(context.Background(), Options{ExecPath: exe, StartTimeout: tt.timeout})
			if err == nil {
				b.Close()
				t.Fatal("Start succeeded with a fake browser")
			}
			t.Logf("Start error: %v", err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %v, want it to mention %q", err, tt.want)
			}
			entries, _ := os.ReadDir(tmp)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "pkcecheck-") {
					t.Errorf("Start left %s behind", e.Name())
				}
			}
			data, _ := os.ReadFile(pidFile)
			pids := strings.Fields(string(data))
			if len(pids) == 0 {
				t.Fatal("the fake browser never ran")
			}
			for _, s := range pids {
				pid, _ := strconv.Atoi(s)
				deadline := time.Now().Add(15 * time.Second)
				for processAlive(pid) && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				if processAlive(pid) {
					t.Errorf("process %d of the fake browser still alive after Start failed", pid)
				}
			}
		})
	}
}

// killPIDsIn kills the processes whose PIDs the fake browser wrote (only if
// a test failed and left them).
func killPIDsIn(file string) {
	data, _ := os.ReadFile(file)
	for _, s := range strings.Fields(string(data)) {
		if pid, err := strconv.Atoi(s); err == nil && processAlive(pid) {
			if p, err := os.FindProcess(pid); err == nil {
				_ = p.Kill()
			}
		}
	}
}

func TestStartWithCancelledContext(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if b, err := Start(ctx, Options{}); err == nil {
		b.Close()
		t.Fatal("Start succeeded with a cancelled context")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("Start left %d entries in TMPDIR", len(entries))
	}
}

func TestStartRejectsStepsWithoutSelector(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{ProfilePath: "p.yaml", Login: []profiles.Step{{Value: "x", Line: 3}}}, "login step 1 (p.yaml:3) has no selector"},
		{Options{Login: loginSteps(testPassword), Consent: []profiles.Step{consentSteps[0], {}}}, "consent step 2 has no selector"},
		{Options{ProfilePath: "p.yaml", Login: []profiles.Step{{TOTP: "#otp", Secret: "not base32!", Line: 5}}},
			"login step 1 (p.yaml:5): the TOTP secret is not valid base32 (letters A-Z and digits 2-7)"},
		{Options{Login: loginSteps(testPassword), Consent: []profiles.Step{{TOTP: "#otp", Secret: "JBSWY3DP", Digits: 7}}},
			"consent step 1: a TOTP code has 6 or 8 digits, not 7"},
	}
	for _, tt := range tests {
		b, err := Start(context.Background(), tt.opts)
		if err == nil {
			b.Close()
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("Start error = %v, want %q", err, tt.want)
		}
	}
}
