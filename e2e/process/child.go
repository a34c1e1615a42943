package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// ErrAddrInUse marks a start that failed because a port was taken: the
// caller may try again on another port.
var ErrAddrInUse = errors.New("address in use")

// Child is a provider process started by Run: in its own process group,
// its output in an OutputLog, waited for in the background.
type Child struct {
	name    string
	cmd     *exec.Cmd
	out     *OutputLog
	cleanup []func() error
	done    chan struct{} // closed when the process has been waited for
	err     error         // the Wait result, valid after done is closed

	stopOnce sync.Once
	stopErr  error
}

// Run starts cmd (made with exec.Command, not CommandContext: the process
// must outlive the caller's context; Stop ends it) with its stdout and
// stderr in out, in its own process group. name says which provider, in
// errors. Stop calls cleanup (removing a config folder, stopping a helper)
// once the process has exited; when Run fails, the caller cleans up.
func Run(name string, cmd *exec.Cmd, out *OutputLog, cleanup ...func() error) (*Child, error) {
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = Attr()
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s in %s: %w", strings.Join(cmd.Args, " "), cmd.Dir, err)
	}
	c := &Child{name: name, cmd: cmd, out: out, cleanup: cleanup, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		out.Flush()
		close(c.done)
	}()
	return c, nil
}

// PID is the process ID (also its process group ID).
func (c *Child) PID() int { return c.cmd.Process.Pid }

// Stop stops the process group (StopGroup: SIGTERM, then SIGKILL after
// StopGrace), then runs the cleanups. It is safe to call more than once;
// later calls return the first call's result, the first error met.
func (c *Child) Stop() error {
	c.stopOnce.Do(func() {
		c.stopErr = StopGroup(c.name, c.PID(), c.done)
		for _, f := range c.cleanup {
			if err := f(); c.stopErr == nil {
				c.stopErr = err
			}
		}
	})
	return c.stopErr
}

// RemoveDir is a cleanup that removes dir, the provider's temporary folder.
func RemoveDir(name, dir string) func() error {
	return func() error {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("stop %s: remove %s: %w", name, dir, err)
		}
		return nil
	}
}

// StartError is err, a failed start at where, with the last lines of the
// output, marked ErrAddrInUse when they contain inUse (the provider's
// message for a taken port).
func (c *Child) StartError(where string, err error, inUse string) error {
	tail := c.out.Tail()
	err = fmt.Errorf("start %s at %s: %w\nlast output:\n%s", c.name, where, err, tail)
	if inUse != "" && strings.Contains(tail, inUse) {
		err = fmt.Errorf("%w (%w)", err, ErrAddrInUse)
	}
	return err
}

// WaitReady polls url until it answers 200, the process exits or ctx ends.
// Each request may take perRequest (0: no limit but ctx).
func (c *Child) WaitReady(ctx context.Context, url string, perRequest time.Duration) error {
	client := &http.Client{Timeout: perRequest}
	// A request in flight must not outlive the process (something else may
	// hold the port and never answer).
	reqCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.done:
			cancel()
		case <-reqCtx.Done():
		}
	}()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("build readiness request: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
		} else {
			last = err
		}
		select {
		case <-c.done:
			return fmt.Errorf("%s exited before it was ready: %v", c.name, c.err)
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w (last: %v)", url, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// DefaultStartTimeout bounds a provider's start (after its build) when
// its options give no timeout.
const DefaultStartTimeout = 60 * time.Second

// CheckOptions is what every provider's Start checks first: the
// confidential client's secret is set and port is 0 (pick one) or a TCP
// port.
func CheckOptions(name string, port int, confidentialSecret string) error {
	if confidentialSecret == "" {
		return fmt.Errorf("start %s: Options.ConfidentialSecret is required", name)
	}
	if port < 0 || port > 65535 {
		return fmt.Errorf("start %s: port %d out of range", name, port)
	}
	return nil
}

// PortAttempts is how often OnFreePort tries a start when the ports it
// picked were taken by someone else before the provider could bind them.
const PortAttempts = 3

// OnFreePort calls start with port, or, when port is 0, with a free
// loopback port, trying again on another free port (at most PortAttempts
// times) while start fails with ErrAddrInUse: a port picked free may be
// taken before the provider binds it. All of it is bounded by ctx and
// timeout (DefaultStartTimeout when 0). name says which provider, in
// errors.
func OnFreePort[T any](ctx context.Context, name string, port int, timeout time.Duration, start func(ctx context.Context, port int) (T, error)) (T, error) {
	if timeout <= 0 {
		timeout = DefaultStartTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		p := port
		if p == 0 {
			var err error
			if p, err = FreePort(); err != nil {
				var zero T
				return zero, fmt.Errorf("start %s: %w", name, err)
			}
		}
		v, err := start(ctx, p)
		if err == nil || port != 0 || attempt >= PortAttempts || !errors.Is(err, ErrAddrInUse) {
			return v, err
		}
	}
}

// Env is env without the variables keep refuses: what a provider process
// (or `go build`) inherits, so the caller's environment cannot change its
// configuration.
func Env(env []string, keep func(name string) bool) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if name, _, _ := strings.Cut(kv, "="); keep(name) {
			out = append(out, kv)
		}
	}
	return out
}
