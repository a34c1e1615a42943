package hydra

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// Options configure Start.
type Options struct {
	// Port is the loopback port of Hydra's public API (the issuer); 0 picks a
	// free one. The admin API and the login app always get free ports.
	Port int
	// ConfidentialSecret is the secret of ConfidentialClientID (required).
	ConfidentialSecret string
	// Username is the login the login app accepts; "" means DefaultUsername.
	Username string
	// Password is the password the login app accepts (required).
	Password string
	// Log receives Hydra's stdout and stderr and the login app's notes, line
	// by line, with the secrets blanked out; nil discards them.
	Log io.Writer
	// StartTimeout bounds Start after the build (see EnsureBuilt); 0 means
	// process.DefaultStartTimeout.
	StartTimeout time.Duration
	// Forget makes the login app accept logins and consents without
	// remember, as login apps that keep no session do: Hydra then shows
	// the login form and the consent page on every authorization.
	Forget bool
}

// Server is a running Hydra process with its login and consent app.
type Server struct {
	cfg   config
	app   *loginApp
	child *process.Child
}

// Start builds Hydra if needed (bounded by ctx and DefaultBuildTimeout),
// starts it and the login app on 127.0.0.1, registers the clients and returns
// once the discovery document answers. On failure nothing is left running and
// the error quotes Hydra's last lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := process.CheckOptions("hydra", opts.Port, opts.ConfidentialSecret); err != nil {
		return nil, err
	}
	if opts.Password == "" {
		return nil, errors.New("start hydra: Options.Password is required")
	}
	if opts.Username == "" {
		opts.Username = DefaultUsername
	}
	bin, err := EnsureBuilt(ctx)
	if err != nil {
		return nil, fmt.Errorf("start hydra: %w", err)
	}
	return process.OnFreePort(ctx, "hydra", opts.Port, opts.StartTimeout, func(ctx context.Context, port int) (*Server, error) {
		return startOnce(ctx, bin, opts, port)
	})
}

// startOnce starts the login app and Hydra (its public API on port, its
// admin API on a fresh port) and waits until Hydra is ready and the clients
// are registered.
func startOnce(ctx context.Context, bin string, opts Options, port int) (*Server, error) {
	cfg, err := pickPorts(port)
	if err != nil {
		return nil, fmt.Errorf("start hydra: %w", err)
	}
	if cfg.systemSecret, err = randomSecret(); err != nil {
		return nil, fmt.Errorf("start hydra: %w", err)
	}
	out := process.NewOutputLog(opts.Log, opts.ConfidentialSecret, opts.Password, cfg.systemSecret)

	adm := newAdmin(cfg.adminURL())
	adm.forget = opts.Forget
	app, err := startLoginApp(adm, opts.Username, opts.Password, out)
	if err != nil {
		return nil, fmt.Errorf("start hydra: %w", err)
	}
	cfg.loginURL, cfg.consentURL = app.LoginURL(), app.ConsentURL()

	tmpDir, err := os.MkdirTemp("", "pkcecheck-hydra-")
	if err != nil {
		_ = app.stop()
		return nil, fmt.Errorf("start hydra: create a temp folder: %w", err)
	}
	path, err := cfg.write(tmpDir)
	if err != nil {
		_ = app.stop()
		_ = os.RemoveAll(tmpDir)
		return nil, fmt.Errorf("start hydra: %w", err)
	}

	cmd := exec.Command(bin, "serve", "all", "--dev", "--sqa-opt-out", "--config", path)
	cmd.Dir = tmpDir
	cmd.Env = hydraEnv(os.Environ(), tmpDir)
	child, err := process.Run("hydra", cmd, out, app.stop, process.RemoveDir("hydra", tmpDir))
	if err != nil {
		_ = app.stop()
		_ = os.RemoveAll(tmpDir)
		return nil, fmt.Errorf("start hydra: %w", err)
	}
	s := &Server{cfg: cfg, app: app, child: child}
	if err := s.setUp(ctx, opts); err != nil {
		_ = s.Stop()
		return nil, child.StartError(cfg.issuer(), err, "address already in use")
	}
	return s, nil
}

// setUp waits for Hydra and registers the clients.
func (s *Server) setUp(ctx context.Context, opts Options) error {
	admin := newAdmin(s.cfg.adminURL())
	if err := s.child.WaitReady(ctx, s.cfg.adminURL()+"/health/ready", 2*time.Second); err != nil {
		return err
	}
	// The first discovery request makes Hydra generate its ID token signing
	// key (RSA, seconds on a busy machine) within the request: a client that
	// gives up early cancels the generation and the next try starts over, so
	// this request may take as long as Start has left.
	if err := s.child.WaitReady(ctx, s.DiscoveryURL(), 0); err != nil {
		return err
	}
	for _, c := range clients(opts.ConfidentialSecret) {
		if err := admin.createClient(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// clients are the OAuth clients Start registers.
func clients(secret string) []oauthClient {
	base := oauthClient{
		GrantTypes:    []string{"authorization_code", "refresh_token"},
		ResponseTypes: []string{"code"},
		RedirectURIs:  []string{RedirectURI},
		Scope:         Scope,
	}
	public, confidential, other := base, base, base
	public.ID, public.Name, public.AuthMethod = PublicClientID, "pkcecheck public client", "none"
	confidential.ID, confidential.Name, confidential.AuthMethod = ConfidentialClientID, "pkcecheck confidential client", "client_secret_basic"
	confidential.Secret = secret
	other.ID, other.Name, other.AuthMethod = OtherClientID, "pkcecheck other client", "none"
	return []oauthClient{public, confidential, other}
}

// hydraEnv is a small environment for Hydra: it reads its configuration from
// environment variables too (DSN, URLS_SELF_ISSUER, ...), so only what a
// process needs is passed on.
func hydraEnv(env []string, tmpDir string) []string {
	return append([]string{"TMPDIR=" + tmpDir}, process.Env(env, func(name string) bool {
		return slices.Contains([]string{"PATH", "HOME", "LANG", "TZ"}, name)
	})...)
}

// pickPorts chooses Hydra's public port (port, or a free one when 0) and a
// free admin port.
func pickPorts(port int) (config, error) {
	var cfg config
	admin, err := process.FreePort()
	if err != nil {
		return cfg, err
	}
	cfg.adminPort = admin
	cfg.publicPort = port
	for cfg.publicPort == 0 || cfg.publicPort == admin {
		if cfg.publicPort, err = process.FreePort(); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// Issuer is Hydra's issuer URL exactly as its metadata announces it, with the
// trailing slash: e.g. http://127.0.0.1:43117/.
func (s *Server) Issuer() string { return s.cfg.issuer() }

// DiscoveryURL is where Hydra serves its OpenID Connect discovery document.
func (s *Server) DiscoveryURL() string {
	return s.cfg.issuer() + ".well-known/openid-configuration"
}

// AdminURL is the base URL of Hydra's admin API, e.g. http://127.0.0.1:43118.
func (s *Server) AdminURL() string { return s.cfg.adminURL() }

// LoginURL is the login app's login page (Hydra's urls.login).
func (s *Server) LoginURL() string { return s.app.LoginURL() }

// Port is the loopback port of Hydra's public API.
func (s *Server) Port() int { return s.cfg.publicPort }

// AdminPort is the loopback port of Hydra's admin API.
func (s *Server) AdminPort() int { return s.cfg.adminPort }

// PID is Hydra's process ID (also its process group ID).
func (s *Server) PID() int { return s.child.PID() }

// Stop sends SIGTERM to Hydra's process group, then SIGKILL if it is still
// running after 5 s, waits for it to exit, stops the login app and removes
// the temporary configuration. It is safe to call more than once; later
// calls return the first call's result.
func (s *Server) Stop() error { return s.child.Stop() }
