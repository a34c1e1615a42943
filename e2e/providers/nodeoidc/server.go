package nodeoidc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultStartTimeout bounds Start, including `npm ci` on a cold machine.
const DefaultStartTimeout = 60 * time.Second

// portAttempts is how often Start tries again when a port it picked itself was
// taken by someone else before the provider could bind it.
const portAttempts = 3

// Options configure Start.
type Options struct {
	// Port is the loopback port to listen on; 0 picks a free one.
	Port int
	// ConfidentialSecret is the secret of ConfidentialClientID (required).
	ConfidentialSecret string
	// Log receives the provider's stdout and stderr, line by line, with the
	// secret blanked out; nil discards them.
	Log io.Writer
	// StartTimeout bounds Start; 0 means DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running node-oidc-provider process.
type Server struct {
	issuer string
	port   int
	cmd    *exec.Cmd
	out    *process.OutputLog
	done   chan struct{} // closed when the process has been waited for
	err    error         // the Wait result, valid after done is closed

	stopOnce sync.Once
	stopErr  error
}

// Start installs the provider if needed, starts it on 127.0.0.1 and returns
// once its discovery document answers 200. On failure nothing is left
// running and the error quotes the provider's last lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.ConfidentialSecret == "" {
		return nil, errors.New("start node-oidc-provider: Options.ConfidentialSecret is required")
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("start node-oidc-provider: port %d out of range", opts.Port)
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = DefaultStartTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if err := EnsureInstalled(ctx); err != nil {
		return nil, fmt.Errorf("start node-oidc-provider: %w", err)
	}
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			p, err := process.FreePort()
			if err != nil {
				return nil, fmt.Errorf("start node-oidc-provider: %w", err)
			}
			port = p
		}
		s, err := startOnce(ctx, opts, port)
		if err == nil {
			return s, nil
		}
		if opts.Port != 0 || attempt >= portAttempts || !errors.Is(err, errAddrInUse) {
			return nil, err
		}
	}
}

// errAddrInUse marks a start that failed because the port was taken.
var errAddrInUse = errors.New("address in use")

// startOnce runs `node server.mjs` on port and waits until it is ready.
func startOnce(ctx context.Context, opts Options, port int) (*Server, error) {
	dir, err := Dir()
	if err != nil {
		return nil, fmt.Errorf("start node-oidc-provider: %w", err)
	}
	node, err := lookTool("node")
	if err != nil {
		return nil, fmt.Errorf("start node-oidc-provider: %w", err)
	}
	issuer := "http://127.0.0.1:" + strconv.Itoa(port)
	out := process.NewOutputLog(opts.Log, opts.ConfidentialSecret)

	// exec.Command, not CommandContext: the process must outlive Start's
	// context; Stop ends it.
	cmd := exec.Command(node, "server.mjs")
	cmd.Dir = dir
	cmd.Env = append(providerEnv(os.Environ()),
		"PORT="+strconv.Itoa(port),
		"ISSUER="+issuer,
		"CONF_SECRET="+opts.ConfidentialSecret,
	)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = process.Attr()
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start node-oidc-provider: run %s server.mjs in %s: %w", node, dir, err)
	}
	s := &Server{issuer: issuer, port: port, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		out.Flush()
		close(s.done)
	}()

	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		tail := out.Tail()
		err = fmt.Errorf("start node-oidc-provider at %s: %w\nlast output:\n%s", issuer, err, tail)
		if strings.Contains(tail, "EADDRINUSE") {
			err = fmt.Errorf("%w (%w)", err, errAddrInUse)
		}
		return nil, err
	}
	return s, nil
}

// providerEnv drops variables that server.mjs reads, so the caller's
// environment cannot change the provider's configuration.
func providerEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PORT", "ISSUER", "CONF_SECRET", "COOKIE_KEYS":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// waitReady polls the discovery document until it answers 200, the process
// exits or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	url := s.issuer + "/.well-known/openid-configuration"
	client := &http.Client{Timeout: 2 * time.Second}
	// A request in flight must not outlive the process (something else may
	// hold the port and never answer).
	reqCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.done:
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
			return fmt.Errorf("build discovery request: %w", err)
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
		case <-s.done:
			return fmt.Errorf("provider exited before it was ready: %v", s.err)
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w (last: %v)", url, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// Issuer is the provider's issuer URL, e.g. http://127.0.0.1:43117.
func (s *Server) Issuer() string { return s.issuer }

// Port is the loopback port the provider listens on.
func (s *Server) Port() int { return s.port }

// PID is the provider's process ID (also its process group ID).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop sends SIGTERM to the provider's process group, then SIGKILL if it is
// still running after 5 s, and waits for it to exit. It is safe to call more
// than once; later calls return the first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	return process.StopGroup("node-oidc-provider", s.cmd.Process.Pid, s.done)
}
