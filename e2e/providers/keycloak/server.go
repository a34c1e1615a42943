package keycloak

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultStartTimeout bounds Start once the distribution is built: the JVM
// start, the database schema and each realm import (about 2 minutes for
// three realms on two busy cores).
const DefaultStartTimeout = 10 * time.Minute

// Options configure Start.
type Options struct {
	// Realms are imported at start (at least one); each realm's discovery
	// document must answer before Start returns.
	Realms []Realm
	// Secrets are blanked out of the output passed to Log (passwords and
	// client secrets of the realms).
	Secrets []string
	// Log receives Keycloak's stdout and stderr line by line; nil discards.
	Log io.Writer
	// StartTimeout bounds Start after the fetch and build; 0 means
	// DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running Keycloak.
type Server struct {
	base string
	port int
	cmd  *exec.Cmd
	home string
	out  *process.OutputLog
	done chan struct{}
	err  error

	stopOnce sync.Once
	stopErr  error
}

// Start fetches and builds Keycloak if needed (bounded by ctx and
// DefaultFetchTimeout), starts it on 127.0.0.1 with opts.Realms imported and
// returns once every realm's discovery document answers 200. On failure
// nothing is left running and the error quotes Keycloak's last lines.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if len(opts.Realms) == 0 {
		return nil, errors.New("start keycloak: no realm to import")
	}
	javaHome, err := JavaHome()
	if err != nil {
		return nil, fmt.Errorf("start keycloak: %w", err)
	}
	dist, err := EnsureDist(ctx, javaHome)
	if err != nil {
		return nil, fmt.Errorf("start keycloak: %w", err)
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = DefaultStartTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	port, err := process.FreePort()
	if err != nil {
		return nil, fmt.Errorf("start keycloak: %w", err)
	}
	home, err := newHome(dist, opts.Realms)
	if err != nil {
		return nil, fmt.Errorf("start keycloak: %w", err)
	}

	out := process.NewOutputLog(opts.Log, opts.Secrets...)
	// exec.Command, not CommandContext: the server must outlive Start's
	// context; Stop ends it.
	cmd := exec.Command(filepath.Join(home, "bin", "kc.sh"), startArgs(port)...)
	cmd.Dir = home
	cmd.Env = append(providerEnv(os.Environ()), "JAVA_HOME="+javaHome)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = process.Attr()
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(home)
		return nil, fmt.Errorf("start keycloak: run kc.sh in %s: %w", home, err)
	}
	s := &Server{base: "http://127.0.0.1:" + strconv.Itoa(port), port: port, cmd: cmd, home: home, out: out, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		out.Flush()
		close(s.done)
	}()
	for _, r := range opts.Realms {
		url := s.Issuer(r.Name()) + "/.well-known/openid-configuration"
		if err := process.WaitHTTP200(ctx, "keycloak", url, s.done, func() error { return s.err }); err != nil {
			_ = s.Stop()
			return nil, fmt.Errorf("start keycloak at %s: %w\nlast output:\n%s", s.base, err, out.Tail())
		}
	}
	return s, nil
}

// startArgs is the kc.sh command line: the optimized start of the cached
// build, plain HTTP on loopback only, the issuer taken from the request's
// host (127.0.0.1), a local cache (no cluster discovery) and the realm
// files of data/import.
func startArgs(port int) []string {
	return []string{"start", "--optimized",
		"--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + strconv.Itoa(port),
		"--hostname-strict=false", "--cache=local", "--import-realm"}
}

// newHome makes a private Keycloak home: bin and conf copied (kc.sh finds
// its home from its own resolved path, and conf may be written), lib, themes
// and providers linked to the read-only cached build, and one import file
// per realm in data/import.
func newHome(dist string, realms []Realm) (string, error) {
	home, err := os.MkdirTemp("", "pkcecheck-keycloak-")
	if err != nil {
		return "", fmt.Errorf("create a Keycloak home: %w", err)
	}
	fail := func(err error) (string, error) {
		_ = os.RemoveAll(home)
		return "", err
	}
	for _, d := range []string{"bin", "conf"} {
		if err := os.CopyFS(filepath.Join(home, d), os.DirFS(filepath.Join(dist, d))); err != nil {
			return fail(fmt.Errorf("copy Keycloak's %s: %w", d, err))
		}
	}
	for _, d := range []string{"lib", "themes", "providers"} {
		if err := os.Symlink(filepath.Join(dist, d), filepath.Join(home, d)); err != nil {
			return fail(fmt.Errorf("link Keycloak's %s: %w", d, err))
		}
	}
	imports := filepath.Join(home, "data", "import")
	if err := os.MkdirAll(imports, 0o700); err != nil {
		return fail(fmt.Errorf("create %s: %w", imports, err))
	}
	for _, r := range realms {
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return fail(fmt.Errorf("encode realm %s: %w", r.Name(), err))
		}
		if err := os.WriteFile(filepath.Join(imports, r.Name()+"-realm.json"), data, 0o600); err != nil {
			return fail(fmt.Errorf("write realm %s: %w", r.Name(), err))
		}
	}
	return home, nil
}

// Issuer is a realm's issuer URL, e.g. http://127.0.0.1:43117/realms/pkcecheck.
func (s *Server) Issuer(realm string) string { return s.base + "/realms/" + realm }

// Port is the loopback port Keycloak listens on.
func (s *Server) Port() int { return s.port }

// PID is kc.sh's process ID (also the process group's ID).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop ends Keycloak's process group (SIGTERM, then SIGKILL), waits for it
// and removes its home folder. Safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopErr = process.StopGroup("keycloak", s.cmd.Process.Pid, s.done)
		if err := os.RemoveAll(s.home); err != nil && s.stopErr == nil {
			s.stopErr = fmt.Errorf("stop keycloak: remove %s: %w", s.home, err)
		}
	})
	return s.stopErr
}
