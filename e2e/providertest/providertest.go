// Package providertest holds the checks the tests of every real provider in
// e2e/providers make alike: starts on fresh and busy ports, a stopped
// process that leaves nothing behind, the shipped profile that matches the
// provider. Only tests import it.
package providertest

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// Server is what every provider's Server offers.
type Server interface {
	Issuer() string
	PID() int
	Stop() error
}

// AssertGone checks that the process no longer exists and that none of
// ports accepts connections.
func AssertGone(t *testing.T, pid int, ports ...int) {
	t.Helper()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d still exists after Stop (kill 0: %v)", pid, err)
	}
	for _, port := range ports {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if err == nil {
			_ = conn.Close()
			t.Errorf("port %d still accepts connections after Stop", port)
		}
	}
}

// ConcurrentStarts starts two servers at once (each start bounded by
// timeout) and checks that they use different ports (ports lists a
// server's), that each serves its own issuer (served reads the issuer of
// its discovery document), and that Stop leaves nothing behind.
func ConcurrentStarts[S Server](t *testing.T, timeout time.Duration, start func(context.Context) (S, error),
	ports func(S) []int, served func(*testing.T, S) string) {
	t.Helper()
	var (
		wg      sync.WaitGroup
		servers [2]S
		errs    [2]error
	)
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			servers[i], errs[i] = start(ctx)
		}()
	}
	wg.Wait()
	for i, s := range servers {
		if errs[i] == nil {
			t.Cleanup(func() { _ = s.Stop() })
		}
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Start #%d: %v", i, err)
		}
	}
	seen := map[int]bool{}
	for _, s := range servers {
		for _, p := range ports(s) {
			if seen[p] {
				t.Fatalf("port %d is used twice", p)
			}
			seen[p] = true
		}
	}
	for _, s := range servers {
		if iss := served(t, s); iss != s.Issuer() {
			t.Errorf("%s serves issuer %q", s.Issuer(), iss)
		}
	}
	for _, s := range servers {
		pid, ps := s.PID(), ports(s)
		if err := s.Stop(); err != nil {
			t.Errorf("Stop %s: %v", s.Issuer(), err)
		}
		AssertGone(t, pid, ps...)
	}
}

// BusyPort starts a server on a port something else holds (start bounded
// by timeout) and checks that it fails with process.ErrAddrInUse, quoting
// the provider's own message (inUse) and none of secrets.
func BusyPort[S Server](t *testing.T, timeout time.Duration, start func(ctx context.Context, port int) (S, error), inUse string, secrets ...string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	s, err := start(ctx, port)
	if err == nil {
		_ = s.Stop()
		t.Fatalf("Start on busy port %d succeeded", port)
	}
	msg := err.Error()
	if !strings.Contains(msg, inUse) {
		t.Errorf("error does not quote the provider's output (%q):\n%s", inUse, msg)
	}
	if !errors.Is(err, process.ErrAddrInUse) {
		t.Errorf("error is not process.ErrAddrInUse: %v", err)
	}
	for _, secret := range secrets {
		if strings.Contains(msg, secret) {
			t.Errorf("error contains a secret")
		}
	}
}

// SyncBuffer collects a provider's output for the secret checks; it is safe
// for concurrent writes.
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
