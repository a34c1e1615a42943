package dex

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

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
	// StartTimeout bounds Start after the build; 0 means the default,
	// process.DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running Dex process.
type Server struct {
	issuer string
	port   int
	tmpDir string // the config folder; Stop removes it
	child  *process.Child
}

// Start builds Dex if needed (bounded by ctx and DefaultBuildTimeout),
// starts it on 127.0.0.1 and returns once its discovery document answers
// 200. On failure nothing is left running and the error quotes Dex's last
// lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := process.CheckOptions("dex", opts.Port, opts.ConfidentialSecret); err != nil {
		return nil, err
	}
	bin, err := EnsureBuilt(ctx)
	if err != nil {
		return nil, fmt.Errorf("start dex: %w", err)
	}
	return process.OnFreePort(ctx, "dex", opts.Port, opts.StartTimeout, func(ctx context.Context, port int) (*Server, error) {
		return startOnce(ctx, bin, opts, port)
	})
}

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
	cmd := exec.Command(bin, "serve", "config.yaml")
	cmd.Dir = tmpDir
	cmd.Env = append(providerEnv(os.Environ()), secretEnvVar+"="+opts.ConfidentialSecret)
	child, err := process.Run("dex", cmd, out, process.RemoveDir("dex", tmpDir))
	if err != nil {
		_ = os.RemoveAll(tmpDir)
		return nil, fmt.Errorf("start dex: %w", err)
	}
	s := &Server{issuer: cfg.Issuer, port: port, tmpDir: tmpDir, child: child}
	if err := child.WaitReady(ctx, s.issuer+"/.well-known/openid-configuration", 2*time.Second); err != nil {
		_ = s.Stop()
		return nil, child.StartError(s.issuer, err, "address already in use")
	}
	return s, nil
}

// providerEnv drops the variables that change Dex's behaviour (its feature
// flags are DEX_* variables) and the one that carries the secret, so the
// caller's environment cannot change the provider's configuration.
func providerEnv(env []string) []string {
	return process.Env(env, func(name string) bool {
		return !strings.HasPrefix(name, "DEX_") && name != secretEnvVar
	})
}

// Issuer is Dex's issuer URL, e.g. http://127.0.0.1:43117/dex.
func (s *Server) Issuer() string { return s.issuer }

// Port is the loopback port Dex listens on.
func (s *Server) Port() int { return s.port }

// PID is Dex's process ID (also its process group ID).
func (s *Server) PID() int { return s.child.PID() }

// Stop sends SIGTERM to Dex's process group, then SIGKILL if it is still
// running after 5 s, waits for it to exit and removes its config folder. It
// is safe to call more than once; later calls return the first call's
// result.
func (s *Server) Stop() error { return s.child.Stop() }
