package dex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultStartTimeout bounds Start once the binary is built (see
// EnsureBuilt): Dex's start and its readiness.
const DefaultStartTimeout = 60 * time.Second

// portAttempts is how often Start tries again when a port it picked itself was
// taken by someone else before Dex could bind it.
const portAttempts = 3

// Options configure Start.
type Options struct {
	// Port is the loopback port to listen on; 0 picks a free one.
	Port int
	// ConfidentialSecret is the secret of ConfidentialClientID (required).
	ConfidentialSecret string
	// SkipApproval turns Dex's approval page off (oauth2.skipApprovalScreen):
	// the redirect then follows the login directly.
	SkipApproval bool
	// Log receives Dex's stdout and stderr, line by line, with the secret
	// blanked out; nil discards them.
	Log io.Writer
	// StartTimeout bounds Start after the build; 0 means DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running Dex process.
type Server struct {
	issuer string
	port   int
	cmd    *exec.Cmd
	tmpDir string
	out    *process.OutputLog
	done   chan struct{} // closed when the process has been waited for
	err    error         // the Wait result, valid after done is closed

	stopOnce sync.Once
	stopErr  error
}

// Start builds Dex if needed (bounded by ctx and DefaultBuildTimeout),
// starts it on 127.0.0.1 and returns once its discovery document answers
// 200. On failure nothing is left running and the error quotes Dex's last
// lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.ConfidentialSecret == "" {
		return nil, errors.New("start dex: Options.ConfidentialSecret is required")
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("start dex: port %d out of range", opts.Port)
	}
	bin, err := EnsureBuilt(ctx)
	if err != nil {
		return nil, fmt.Errorf("start dex: %w", err)
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = DefaultStartTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			p, err := process.FreePort()
			if err != nil {
				return nil, fmt.Errorf("start dex: %w", err)
			}
			port = p
		}
		s, err := startOnce(ctx, bin, opts, port)
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

// startOnce writes the config for port, runs `dex serve` and waits until it
// is ready.
func startOnce(ctx context.Context, bin string, opts Options, port int) (*Server, error) {
	tmpDir, err := os.MkdirTemp("", "pkcecheck-dex-")
	if err != nil {
		return nil, fmt.Errorf("start dex: create its config folder: %w", err)
	}
	cfg := newConfig(port, opts.SkipApproval)
	data, err := cfg.marshal()
	if err == nil {
		err = os.WriteFile(filepath.Join(tmpDir, "config.yaml"), data, 0o600)
	}
	if err != nil {
		_ = os.RemoveAll(tmpDir)
		return nil, fmt.Errorf("start dex: write its config in %s: %w", tmpDir, err)
	}

	out := process.NewOutputLog(opts.Log, opts.ConfidentialSecret)
	// exec.Command, not CommandContext: the process must outlive Start's
	// context; Stop ends it.
	cmd := exec.Command(bin, "serve", "config.yaml")
	cmd.Dir = tmpDir
	cmd.Env = append(providerEnv(os.Environ()), secretEnvVar+"="+opts.ConfidentialSecret)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = process.Attr()
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(tmpDir)
		return nil, fmt.Errorf("start dex: run %s serve in %s: %w", bin, tmpDir, err)
	}
	s := &Server{issuer: cfg.Issuer, port: port, cmd: cmd, tmpDir: tmpDir, out: out, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		out.Flush()
		close(s.done)
	}()

	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		tail := out.Tail()
		err = fmt.Errorf("start dex at %s: %w\nlast output:\n%s", s.issuer, err, tail)
		if strings.Contains(tail, "address already in use") {
			err = fmt.Errorf("%w (%w)", err, errAddrInUse)
		}
		return nil, err
	}
	return s, nil
}

// providerEnv drops the variables that change Dex's behaviour (its feature
// flags are DEX_* variables) and the one that carries the secret, so the
// caller's environment cannot change the provider's configuration.
func providerEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "DEX_") || name == secretEnvVar {
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
			return fmt.Errorf("dex exited before it was ready: %v", s.err)
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w (last: %v)", url, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// Issuer is Dex's issuer URL, e.g. http://127.0.0.1:43117/dex.
func (s *Server) Issuer() string { return s.issuer }

// Port is the loopback port Dex listens on.
func (s *Server) Port() int { return s.port }

// PID is Dex's process ID (also its process group ID).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop sends SIGTERM to Dex's process group, then SIGKILL if it is still
// running after 5 s, waits for it to exit and removes its config folder. It
// is safe to call more than once; later calls return the first call's
// result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopErr = s.stop()
		if err := os.RemoveAll(s.tmpDir); err != nil && s.stopErr == nil {
			s.stopErr = fmt.Errorf("stop dex: remove %s: %w", s.tmpDir, err)
		}
	})
	return s.stopErr
}

func (s *Server) stop() error {
	return process.StopGroup("dex", s.cmd.Process.Pid, s.done)
}
