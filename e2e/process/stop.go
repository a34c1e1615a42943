package process

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// StopGrace is how long StopGroup waits after SIGTERM before SIGKILL, and
// after SIGKILL before it gives up.
const StopGrace = 5 * time.Second

// StopGroup stops the process group led by pid (started with Attr): SIGTERM,
// then SIGKILL after StopGrace. done is closed once the process has been
// waited for; when it already is, nothing is sent (the PID may be reused).
// name says which provider, for errors.
func StopGroup(name string, pid int, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	default:
	}
	if err := syscall.Kill(-pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop %s (pid %d): SIGTERM: %w", name, pid, err)
	}
	select {
	case <-done:
		return nil
	case <-time.After(StopGrace):
	}
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop %s (pid %d): SIGKILL: %w", name, pid, err)
	}
	select {
	case <-done:
		return nil
	case <-time.After(StopGrace):
		return fmt.Errorf("stop %s (pid %d): still running after SIGKILL", name, pid)
	}
}

// FreePort asks the kernel for a free loopback port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
