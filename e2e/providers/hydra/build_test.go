package hydra

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestBuildDirPinsHydra(t *testing.T) {
	dir, err := BuildDir()
	if err != nil {
		t.Fatalf("BuildDir: %v", err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"github.com/ory/hydra/v2 " + Version,
		"replace github.com/gobuffalo/pop/v6 => github.com/ory/pop/v6 v6.2.1-0.20241121111754-e5dfc0f3344b",
	} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("build/go.mod lacks %q", want)
		}
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sum), "github.com/ory/hydra/v2 "+Version+" h1:") {
		t.Errorf("build/go.sum lacks the hash of hydra %s", Version)
	}
}

func TestBinaryPathIsKeyedByTheModule(t *testing.T) {
	bin, err := BinaryPath()
	if err != nil {
		t.Fatalf("BinaryPath: %v", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(bin)
	if filepath.Dir(dir) != filepath.Join(cache, "pkcecheck") || !strings.HasPrefix(filepath.Base(dir), "hydra-"+Version+"-") {
		t.Errorf("BinaryPath = %s, want %s/pkcecheck/hydra-%s-<hash>/hydra", bin, cache, Version)
	}
	if filepath.Base(bin) != "hydra" {
		t.Errorf("binary name = %s, want hydra", filepath.Base(bin))
	}
}

func TestHydraEnvKeepsOnlyTheBasics(t *testing.T) {
	got := hydraEnv([]string{"PATH=/bin", "DSN=postgres://x", "URLS_SELF_ISSUER=http://evil", "HOME=/root", "SECRETS_SYSTEM=x"}, "/tmp/h")
	want := []string{"TMPDIR=/tmp/h", "PATH=/bin", "HOME=/root"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hydraEnv = %q, want %q", got, want)
	}
}
