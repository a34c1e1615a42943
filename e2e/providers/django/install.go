package django

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultInstallTimeout bounds the one-time install of the virtual
// environment: about 20 s here (15 packages from PyPI).
const DefaultInstallTimeout = 5 * time.Minute

// Dir returns the package's folder: requirements.txt and site/.
func Dir() (string, error) {
	return process.SourceDir("django provider folder", ".", "requirements.txt", filepath.Join("site", "manage.py"))
}

// Python finds python3 and returns its path and version line ("Python
// 3.11.7"), refusing versions Django 5.2 does not run on (before 3.10) and
// an interpreter without its venv module (Debian: apt-get install
// python3-venv, which .ci/setup does).
func Python(ctx context.Context) (path, version string, err error) {
	path, err = exec.LookPath("python3")
	if err != nil {
		return "", "", fmt.Errorf("find python3 in PATH (django-oauth-toolkit needs Python 3.10+): %w", err)
	}
	cmd := exec.CommandContext(ctx, path, "-c",
		"import sys, venv, ensurepip; print('Python %d.%d.%d' % sys.version_info[:3]); sys.exit(sys.version_info < (3, 10))")
	out, err := cmd.CombinedOutput()
	version = strings.TrimSpace(string(out))
	if err != nil {
		if strings.Contains(version, "No module named") {
			return "", "", fmt.Errorf("%s lacks the venv module (Debian: apt-get install python3-venv): %s", path, process.LastLines(version, 1))
		}
		return "", "", fmt.Errorf("%s (%s): django-oauth-toolkit needs Python 3.10+: %w", path, process.LastLines(version, 1), err)
	}
	return path, version, nil
}

// EnsureInstalled returns the python of the virtual environment holding the
// pinned packages, making it first when the cache lacks it. The cache
// folder is keyed by requirements.txt and the interpreter's path and
// version (a venv belongs to the python that made it).
func EnsureInstalled(ctx context.Context) (string, error) {
	python, version, err := Python(ctx)
	if err != nil {
		return "", err
	}
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	reqs, err := os.ReadFile(filepath.Join(dir, "requirements.txt"))
	if err != nil {
		return "", fmt.Errorf("read the django requirements: %w", err)
	}
	c := process.Cached{Name: "django-oauth-toolkit", Version: Version,
		Inputs: [][]byte{reqs, []byte(python + "\n" + version)}, Timeout: DefaultInstallTimeout}
	venv, err := c.Ensure(ctx, func(ctx context.Context, venv string) error {
		if err := run(ctx, "create a virtual environment with "+python, python, "-m", "venv", venv); err != nil {
			return err
		}
		return run(ctx, "install requirements.txt from PyPI (blocked, or a version not served?)",
			filepath.Join(venv, "bin", "python"), "-m", "pip", "install", "--no-deps", "--no-input",
			"--disable-pip-version-check", "--quiet", "-r", filepath.Join(dir, "requirements.txt"))
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(venv, "bin", "python"), nil
}

// run runs a command and quotes its last lines of output when it fails.
func run(ctx context.Context, what, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = process.Env(os.Environ(), keepEnv)
	cmd.SysProcAttr = process.Attr()
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", what, err, process.LastLines(string(out), 20))
	}
	return nil
}

// keepEnv refuses the variables that change Python's, pip's or Django's
// behaviour (PYTHON*, PIP_*, DJANGO_*) and the test site's own
// (PKCECHECK_DJANGO_*): the caller's environment must not change the
// provider's configuration.
func keepEnv(name string) bool {
	for _, p := range []string{"PYTHON", "PIP_", "DJANGO_", "PKCECHECK_DJANGO_", "VIRTUAL_ENV"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}
