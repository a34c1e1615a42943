package nodeoidc

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// Options configure Start.
type Options struct {
	// Port is the loopback port to listen on; 0 picks a free one.
	Port int
	// ConfidentialSecret is the secret of ConfidentialClientID (required).
	ConfidentialSecret string
	// Log receives the provider's stdout and stderr, line by line, with the
	// secret blanked out; nil discards them.
	Log io.Writer
	// StartTimeout bounds Start, npm ci included; 0 means the default,
	// process.DefaultStartTimeout.
	StartTimeout time.Duration
	// RequirePAR makes the provider require pushed authorization requests
	// (RFC 9126; require_pushed_authorization_requests in its metadata).
	RequirePAR bool
	// CodeTTL is the authorization code lifetime in whole seconds; 0 means
	// server.mjs's 60 s.
	CodeTTL time.Duration
}

// Server is a running node-oidc-provider process.
type Server struct {
	issuer string
	port   int
	child  *process.Child
}

// Start installs the provider if needed, starts it on 127.0.0.1 and returns
// once its discovery document answers 200. On failure nothing is left
// running and the error quotes the provider's last lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := process.CheckOptions("node-oidc-provider", opts.Port, opts.ConfidentialSecret); err != nil {
		return nil, err
	}
	return process.OnFreePort(ctx, "node-oidc-provider", opts.Port, opts.StartTimeout, func(ctx context.Context, port int) (*Server, error) {
		// Within the start's bounds; a no-op once installed.
		if err := EnsureInstalled(ctx); err != nil {
			return nil, fmt.Errorf("start node-oidc-provider: %w", err)
		}
		return startOnce(ctx, opts, port)
	})
}

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

	cmd := exec.Command(node, "server.mjs")
	cmd.Dir = dir
	cmd.Env = append(providerEnv(os.Environ()),
		"PORT="+strconv.Itoa(port),
		"ISSUER="+issuer,
		"CONF_SECRET="+opts.ConfidentialSecret,
	)
	if opts.RequirePAR {
		cmd.Env = append(cmd.Env, "REQUIRE_PAR=1")
	}
	if opts.CodeTTL > 0 {
		cmd.Env = append(cmd.Env, "CODE_TTL="+strconv.Itoa(int(opts.CodeTTL/time.Second)))
	}
	child, err := process.Run("node-oidc-provider", cmd, out)
	if err != nil {
		return nil, fmt.Errorf("start node-oidc-provider: %w", err)
	}
	s := &Server{issuer: issuer, port: port, child: child}
	if err := child.WaitReady(ctx, issuer+"/.well-known/openid-configuration", 2*time.Second); err != nil {
		_ = s.Stop()
		return nil, child.StartError(issuer, err, "EADDRINUSE")
	}
	return s, nil
}

// providerEnv drops variables that server.mjs reads, so the caller's
// environment cannot change the provider's configuration.
func providerEnv(env []string) []string {
	return process.Env(env, func(name string) bool {
		return !slices.Contains([]string{"PORT", "ISSUER", "CONF_SECRET", "COOKIE_KEYS", "REQUIRE_PAR", "JWT_KEY_FILE", "CODE_TTL"}, name)
	})
}

// Issuer is the provider's issuer URL, e.g. http://127.0.0.1:43117.
func (s *Server) Issuer() string { return s.issuer }

// Port is the loopback port the provider listens on.
func (s *Server) Port() int { return s.port }

// PID is the provider's process ID (also its process group ID).
func (s *Server) PID() int { return s.child.PID() }

// Stop sends SIGTERM to the provider's process group, then SIGKILL if it is
// still running after 5 s, and waits for it to exit. It is safe to call more
// than once; later calls return the first call's result.
func (s *Server) Stop() error { return s.child.Stop() }
