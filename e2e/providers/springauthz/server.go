package springauthz

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
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
	// Password is Username's password (required).
	Password string
	// Log receives the server's stdout and stderr, line by line, with the
	// secret and password blanked out; nil discards them.
	Log io.Writer
	// StartTimeout bounds Start after the build; 0 means the default,
	// process.DefaultStartTimeout.
	StartTimeout time.Duration
}

// Server is a running Spring Authorization Server.
type Server struct {
	issuer string
	port   int
	child  *process.Child
}

// Start builds the jar if needed (bounded by ctx and DefaultBuildTimeout),
// starts it on 127.0.0.1 and returns once its discovery document answers
// 200. On failure nothing is left running and the error quotes the
// server's last lines of output.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := process.CheckOptions("spring authorization server", opts.Port, opts.ConfidentialSecret); err != nil {
		return nil, err
	}
	if opts.Password == "" {
		return nil, fmt.Errorf("start spring authorization server: Options.Password is required")
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("start spring authorization server: find java (Java 17 or newer): %w", err)
	}
	jar, err := EnsureBuilt(ctx)
	if err != nil {
		return nil, fmt.Errorf("start spring authorization server: %w", err)
	}
	return process.OnFreePort(ctx, "spring authorization server", opts.Port, opts.StartTimeout, func(ctx context.Context, port int) (*Server, error) {
		return startOnce(ctx, java, jar, opts, port)
	})
}

// startOnce runs the jar on port and waits until it is ready.
func startOnce(ctx context.Context, java, jar string, opts Options, port int) (*Server, error) {
	issuer := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	out := process.NewOutputLog(opts.Log, opts.ConfidentialSecret, opts.Password)
	// On two busy cores the JIT's first tier alone and the serial collector
	// start it faster.
	cmd := exec.Command(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar,
		"--server.address=127.0.0.1", "--server.port="+strconv.Itoa(port),
		"--spring.security.oauth2.authorizationserver.issuer="+issuer)
	cmd.Env = append(process.Env(os.Environ(), keepEnv),
		"PKCECHECK_SPRING_PASSWORD="+opts.Password,
		"PKCECHECK_SPRING_CONFIDENTIAL_SECRET="+opts.ConfidentialSecret,
	)
	child, err := process.Run("spring authorization server", cmd, out)
	if err != nil {
		return nil, fmt.Errorf("start spring authorization server: %w", err)
	}
	s := &Server{issuer: issuer, port: port, child: child}
	if err := child.WaitReady(ctx, issuer+"/.well-known/openid-configuration", 2*time.Second); err != nil {
		_ = s.Stop()
		return nil, child.StartError(issuer, err, "Port "+strconv.Itoa(port)+" was already in use")
	}
	return s, nil
}

// keepEnv refuses the variables that configure Spring Boot or the JVM
// (SPRING_*, SERVER_*, JAVA_OPTS*, JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS) and
// the app's own (PKCECHECK_SPRING_*): the caller's environment must not
// change the provider's configuration.
func keepEnv(name string) bool {
	for _, p := range []string{"SPRING_", "SERVER_", "LOGGING_", "JAVA_OPTS", "PKCECHECK_SPRING_"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return name != "JAVA_TOOL_OPTIONS" && name != "JDK_JAVA_OPTIONS"
}

// Issuer is the server's issuer URL, e.g. http://127.0.0.1:43117.
func (s *Server) Issuer() string { return s.issuer }

// Port is the loopback port the server listens on.
func (s *Server) Port() int { return s.port }

// PID is the server's process ID (also its process group ID).
func (s *Server) PID() int { return s.child.PID() }

// Stop sends SIGTERM to the server's process group, then SIGKILL if it is
// still running after 5 s, and waits for it to exit. It is safe to call
// more than once; later calls return the first call's result.
func (s *Server) Stop() error { return s.child.Stop() }
