package keycloak

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultFetchTimeout bounds the one-time fetch, unpacking and build of the
// distribution: the download (176 MB) took 6 s here, `kc.sh build` about a
// minute on two cores.
const DefaultFetchTimeout = 15 * time.Minute

// buildOptions are the build-time options `kc.sh build` bakes into the
// cached distribution: an in-memory H2 database (every start imports its
// realms afresh) and no management interface (it would listen on port 9000).
var buildOptions = []string{"--db=dev-mem", "--health-enabled=false", "--metrics-enabled=false"}

// readyMarker is written last into the cache folder: its presence means the
// distribution is unpacked and built.
const readyMarker = ".ready"

// CacheDir returns os.UserCacheDir()/pkcecheck/keycloak-<Version>-<key>,
// where key covers the build options, so changed options build anew.
func CacheDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory for Keycloak: %w", err)
	}
	sum := sha256.Sum256([]byte(Artifact + "\n" + strings.Join(buildOptions, "\n")))
	return filepath.Join(cache, "pkcecheck", "keycloak-"+Version+"-"+hex.EncodeToString(sum[:])[:16]), nil
}

// EnsureDist returns the folder of the built Keycloak distribution, fetching
// and building it first when the cache lacks it. A file lock keeps
// concurrent test binaries from doing it at the same time; the ones that
// wait find the work done. Bounded by ctx and DefaultFetchTimeout.
func EnsureDist(ctx context.Context, javaHome string) (string, error) {
	root, err := CacheDir()
	if err != nil {
		return "", err
	}
	dist := filepath.Join(root, "keycloak-"+Version)
	if isFile(filepath.Join(root, readyMarker)) {
		return dist, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("create the Keycloak cache folder %s: %w", root, err)
	}
	unlock, err := process.LockFile(ctx, filepath.Join(root, ".build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if isFile(filepath.Join(root, readyMarker)) {
		return dist, nil
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultFetchTimeout)
	defer cancel()

	// Start from nothing: an earlier attempt may have died half-way.
	tmp := filepath.Join(root, "tmp-"+strconv.Itoa(os.Getpid()))
	for _, p := range []string{tmp, dist} {
		if err := os.RemoveAll(p); err != nil {
			return "", fmt.Errorf("clear %s: %w", p, err)
		}
	}
	defer os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", tmp, err)
	}
	tarball, err := download(ctx, tmp)
	if err != nil {
		return "", err
	}
	if err := run(ctx, "unpack "+filepath.Base(tarball), tmp, nil, "tar", "-xzf", tarball); err != nil {
		return "", err
	}
	unpacked := filepath.Join(tmp, "keycloak-"+Version)
	env := append(process.Env(os.Environ(), keepEnv), "JAVA_HOME="+javaHome)
	args := append([]string{"build"}, buildOptions...)
	if err := run(ctx, "build Keycloak "+Version+" (kc.sh build)", unpacked, env, filepath.Join(unpacked, "bin", "kc.sh"), args...); err != nil {
		return "", err
	}
	if err := os.Rename(unpacked, dist); err != nil {
		return "", fmt.Errorf("install Keycloak at %s: %w", dist, err)
	}
	if err := os.WriteFile(filepath.Join(root, readyMarker), []byte(Artifact+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("mark the Keycloak cache ready: %w", err)
	}
	return dist, nil
}

// download fetches the distribution tarball into dir with Maven's own
// client and returns its path. A refusal (Maven Central blocked, the
// version not served) is reported with mvn's own last lines.
func download(ctx context.Context, dir string) (string, error) {
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return "", fmt.Errorf("find mvn in PATH (needed once to fetch %s from Maven Central): %w", Artifact, err)
	}
	err = run(ctx, "fetch "+Artifact+" from Maven Central (mvn dependency:copy; blocked or not served?)", dir, nil,
		mvn, "-B", "--no-transfer-progress", "dependency:copy", "-Dartifact="+Artifact, "-DoutputDirectory="+dir)
	if err != nil {
		return "", err
	}
	tarball := filepath.Join(dir, "keycloak-quarkus-dist-"+Version+".tar.gz")
	if !isFile(tarball) {
		return "", fmt.Errorf("fetch %s: mvn succeeded but %s is missing", Artifact, tarball)
	}
	return tarball, nil
}

// run runs a command in dir (env nil: this process's environment) and
// quotes its last lines of output when it fails.
func run(ctx context.Context, what, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = process.Attr()
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", what, err, process.LastLines(string(out), 20))
	}
	return nil
}

// JavaHome returns the Java installation kc.sh runs with: $JAVA_HOME when it
// holds bin/java, else the one the java command on PATH belongs to (on
// Debian /usr/bin/java leads to /usr/lib/jvm/java-17-openjdk-amd64).
// Keycloak 26 runs on Java 17, 21 or 25.
func JavaHome() (string, error) {
	if h := os.Getenv("JAVA_HOME"); h != "" && isFile(filepath.Join(h, "bin", "java")) {
		return h, nil
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return "", fmt.Errorf("find java (Keycloak needs Java 17, 21 or 25; set JAVA_HOME): %w", err)
	}
	real, err := filepath.EvalSymlinks(java)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", java, err)
	}
	home := filepath.Dir(filepath.Dir(real))
	if !isFile(filepath.Join(home, "bin", "java")) {
		return "", errors.New("find the Java home of " + real + "; set JAVA_HOME")
	}
	return home, nil
}

// keepEnv refuses the variables that configure Keycloak, Quarkus or the JVM
// (KC_*, KEYCLOAK_*, QUARKUS_*, JAVA_OPTS*, JAVA_HOME, JDK_JAVA_OPTIONS,
// JAVA_TOOL_OPTIONS): the caller's environment must not change the
// provider's configuration. pkcecheck's own profile variables (KC_ISSUER,
// KC_PASSWORD, ...) are among them.
func keepEnv(name string) bool {
	for _, p := range []string{"KC_", "KEYCLOAK_", "QUARKUS_", "JAVA_OPTS"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return name != "JAVA_HOME" && name != "JDK_JAVA_OPTIONS" && name != "JAVA_TOOL_OPTIONS"
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
