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
	// Stop (from process.Child) ends its process group by PID and removes
	// its home folder.
	Log io.Writer
	// StartTimeout bounds Start after the fetch and build; 0 means
	// DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running Keycloak.
type Server struct {
	*process.Child
	base string
	port int
}

// inUse is the start-up message of a Keycloak whose port was taken.
const inUse = "already in use"

// Start fetches and builds Keycloak if needed (bounded by ctx and
// DefaultFetchTimeout), starts it on a free 127.0.0.1 port with opts.Realms
// imported and returns once every realm's discovery document answers 200.
// On failure nothing is left running and the error quotes Keycloak's last
// lines.
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
	return process.OnFreePort(ctx, "keycloak", 0, timeout, func(ctx context.Context, port int) (*Server, error) {
		return startOnce(ctx, opts, dist, javaHome, port)
	})
}

// startOnce makes a home, runs kc.sh on port and waits for every realm.
func startOnce(ctx context.Context, opts Options, dist, javaHome string, port int) (*Server, error) {
	home, err := newHome(dist, opts.Realms)
	if err != nil {
		return nil, fmt.Errorf("start keycloak: %w", err)
	}
	cmd := exec.Command(filepath.Join(home, "bin", "kc.sh"), startArgs(port)...)
	cmd.Dir = home
	cmd.Env = append(process.Env(os.Environ(), keepEnv), "JAVA_HOME="+javaHome)
	out := process.NewOutputLog(opts.Log, opts.Secrets...)
	child, err := process.Run("keycloak", cmd, out, process.RemoveDir("keycloak", home))
	if err != nil {
		_ = os.RemoveAll(home)
		return nil, fmt.Errorf("start keycloak: %w", err)
	}
	s := &Server{Child: child, base: "http://127.0.0.1:" + strconv.Itoa(port), port: port}
	for _, r := range opts.Realms {
		url := s.Issuer(r.Name()) + "/.well-known/openid-configuration"
		if err := child.WaitReady(ctx, url, 2*time.Second); err != nil {
			_ = child.Stop()
			return nil, child.StartError(s.base, err, inUse)
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
