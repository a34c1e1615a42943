package django

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRequirementsArePinned: every package of requirements.txt is pinned to
// one exact version (pip installs them with --no-deps, so the file must
// name every dependency too), DOT and Django at the versions this package
// names.
func TestRequirementsArePinned(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	pin := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*==[0-9][A-Za-z0-9.]*$`)
	pins := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !pin.MatchString(line) {
			t.Errorf("requirements.txt:%d: %q is not an exact pin (name==version)", i+1, line)
			continue
		}
		name, version, _ := strings.Cut(line, "==")
		pins[strings.ToLower(name)] = version
	}
	for name, want := range map[string]string{"django-oauth-toolkit": Version, "django": DjangoVersion} {
		if pins[name] != want {
			t.Errorf("requirements.txt pins %s at %q, want %q", name, pins[name], want)
		}
	}
	for _, dep := range []string{"oauthlib", "jwcrypto", "cryptography", "requests", "asgiref", "sqlparse"} {
		if pins[dep] == "" {
			t.Errorf("requirements.txt does not pin %s, a dependency of DOT or Django", dep)
		}
	}
}

func TestPythonIsUsable(t *testing.T) {
	path, version, err := Python(context.Background())
	if err != nil {
		t.Fatalf("Python: %v (the tests need python3 3.10+ with venv; .ci/setup installs it)", err)
	}
	if !strings.HasPrefix(version, "Python 3.") || path == "" {
		t.Errorf("Python = %q, %q", path, version)
	}
}

func TestKeepEnvDropsProviderSettings(t *testing.T) {
	in := []string{"HOME=/root", "PYTHONPATH=/evil", "PIP_INDEX_URL=http://x", "DJANGO_SETTINGS_MODULE=x",
		"PKCECHECK_DJANGO_PASSWORD=leak", "VIRTUAL_ENV=/v", "PATH=/bin", "DJANGO_ISSUER=http://x"}
	var kept []string
	for _, kv := range in {
		if name, _, _ := strings.Cut(kv, "="); keepEnv(name) {
			kept = append(kept, kv)
		}
	}
	if got := strings.Join(kept, " "); got != "HOME=/root PATH=/bin" {
		t.Errorf("kept %q, want HOME and PATH only", got)
	}
}
