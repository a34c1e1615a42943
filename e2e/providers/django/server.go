package django

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
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
	// Password is Username's password (required).
	Password string
	// Log receives the server's stdout and stderr, line by line, with the
	// secret and password blanked out; nil discards them.
	Log io.Writer
	// StartTimeout bounds Start after the install; 0 means the default,
	// process.DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running Django process serving DOT.
type Server struct {
	issuer string
	port   int
	child  *process.Child
}

// Start installs the virtual environment if needed (bounded by ctx and
// DefaultInstallTimeout), starts the site on 127.0.0.1 and returns once
// DOT's discovery document answers 200. On failure nothing is left running
// and the error quotes the server's last lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := process.CheckOptions("django", opts.Port, opts.ConfidentialSecret); err != nil {
		return nil, err
	}
	if opts.Password == "" {
		return nil, fmt.Errorf("start django: Options.Password is required")
	}
	python, err := EnsureInstalled(ctx)
	if err != nil {
		return nil, fmt.Errorf("start django: %w", err)
	}
	return process.OnFreePort(ctx, "django", opts.Port, opts.StartTimeout, func(ctx context.Context, port int) (*Server, error) {
		return startOnce(ctx, python, opts, port)
	})
}

// startOnce writes the state folder (the OIDC signing key; the database
// appears there), runs `manage.py pkcecheck_serve` and waits until it is
// ready.
func startOnce(ctx context.Context, python string, opts Options, port int) (*Server, error) {
	dir, err := Dir()
	if err != nil {
		return nil, fmt.Errorf("start django: %w", err)
	}
	state, err := os.MkdirTemp("", "pkcecheck-django-")
	if err != nil {
		return nil, fmt.Errorf("start django: create its state folder: %w", err)
	}
	secretKey, err := writeState(state)
	if err != nil {
		_ = os.RemoveAll(state)
		return nil, fmt.Errorf("start django: %w", err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	out := process.NewOutputLog(opts.Log, opts.ConfidentialSecret, opts.Password)
	cmd := exec.Command(python, "manage.py", "pkcecheck_serve", addr)
	cmd.Dir = filepath.Join(dir, "site")
	cmd.Env = append(process.Env(os.Environ(), keepEnv),
		"DJANGO_SETTINGS_MODULE=pkcesite.settings",
		"PYTHONUNBUFFERED=1",
		"PYTHONDONTWRITEBYTECODE=1", // nothing written into site/
		"PKCECHECK_DJANGO_DIR="+state,
		"PKCECHECK_DJANGO_SECRET_KEY="+secretKey,
		"PKCECHECK_DJANGO_PASSWORD="+opts.Password,
		"PKCECHECK_DJANGO_CONFIDENTIAL_SECRET="+opts.ConfidentialSecret,
	)
	child, err := process.Run("django", cmd, out, process.RemoveDir("django", state))
	if err != nil {
		_ = os.RemoveAll(state)
		return nil, fmt.Errorf("start django: %w", err)
	}
	s := &Server{issuer: "http://" + addr + "/o", port: port, child: child}
	if err := child.WaitReady(ctx, s.issuer+"/.well-known/openid-configuration", 2*time.Second); err != nil {
		_ = s.Stop()
		return nil, child.StartError(s.issuer, err, "That port is already in use")
	}
	return s, nil
}

// writeState writes DOT's OIDC signing key (RSA 2048, fresh per start)
// into state and returns a fresh Django SECRET_KEY.
func writeState(state string) (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("generate the OIDC signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", fmt.Errorf("encode the OIDC signing key: %w", err)
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := os.WriteFile(filepath.Join(state, "oidc-key.pem"), block, 0o600); err != nil {
		return "", fmt.Errorf("write the OIDC signing key in %s: %w", state, err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("generate Django's SECRET_KEY: %w", err)
	}
	return hex.EncodeToString(secret), nil
}

// Issuer is DOT's issuer URL, e.g. http://127.0.0.1:43117/o.
func (s *Server) Issuer() string { return s.issuer }

// Port is the loopback port Django listens on.
func (s *Server) Port() int { return s.port }

// PID is Django's process ID (also its process group ID).
func (s *Server) PID() int { return s.child.PID() }

// Stop sends SIGTERM to Django's process group, then SIGKILL if it is still
// running after 5 s, waits for it to exit and removes its state folder. It
// is safe to call more than once; later calls return the first call's
// result.
func (s *Server) Stop() error { return s.child.Stop() }
