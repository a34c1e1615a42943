package hydra

import (
	"github.com/pkcecheck/pkcecheck/e2e/process"

	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
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

func TestModuleKey(t *testing.T) {
	write := func(dir, mod, sum string) {
		t.Helper()
		for name, data := range map[string]string{"go.mod": mod, "go.sum": sum} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	key := func(mod, sum string) string {
		t.Helper()
		dir := t.TempDir()
		write(dir, mod, sum)
		k, err := moduleKey(dir)
		if err != nil {
			t.Fatalf("moduleKey: %v", err)
		}
		return k
	}
	base := key("module a\n", "x h1:1\n")
	tests := []struct {
		name     string
		mod, sum string
		same     bool
	}{
		{"same files", "module a\n", "x h1:1\n", true},
		{"go.sum changed", "module a\n", "x h1:2\n", false},
		{"go.mod changed", "module b\n", "x h1:1\n", false},
		{"bytes moved between the files", "module a\nx", " h1:1\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := key(tt.mod, tt.sum); (got == base) != tt.same {
				t.Errorf("key = %s, base %s, want same=%v", got, base, tt.same)
			}
		})
	}
	if _, err := moduleKey(t.TempDir()); err == nil {
		t.Error("moduleKey of an empty folder succeeded")
	}
}

func TestBuildEnv(t *testing.T) {
	got := buildEnv([]string{"PATH=/bin", "GOFLAGS=-mod=mod", "GOWORK=/w/go.work", "CGO_ENABLED=0", "GOARCH=arm64", "HOME=/root"})
	want := []string{"PATH=/bin", "HOME=/root", "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("buildEnv = %q, want %q", got, want)
	}
}

func TestHydraEnvKeepsOnlyTheBasics(t *testing.T) {
	got := hydraEnv([]string{"PATH=/bin", "DSN=postgres://x", "URLS_SELF_ISSUER=http://evil", "HOME=/root", "SECRETS_SYSTEM=x"}, "/tmp/h")
	want := []string{"TMPDIR=/tmp/h", "PATH=/bin", "HOME=/root"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hydraEnv = %q, want %q", got, want)
	}
}

func TestIsExecutable(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		mode os.FileMode // 0: do not create
		want bool
	}{
		{"missing", 0, false},
		{"not executable", 0o644, false},
		{"executable", 0o755, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if tt.mode != 0 {
				if err := os.WriteFile(path, []byte("#!/bin/sh\n"), tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			if got := isExecutable(path); got != tt.want {
				t.Errorf("isExecutable = %v, want %v", got, tt.want)
			}
		})
	}
	if isExecutable(dir) {
		t.Error("a folder counts as executable")
	}
}

func TestLockFileWaitsAndHonoursContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".build.lock")
	unlock, err := process.LockFile(context.Background(), path)
	if err != nil {
		t.Fatalf("first LockFile: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := process.LockFile(ctx, path); err == nil || !strings.Contains(err.Error(), "wait for build lock") {
		t.Fatalf("second LockFile while held = %v, want a wait error", err)
	}
	unlock()
	unlock2, err := process.LockFile(context.Background(), path)
	if err != nil {
		t.Fatalf("LockFile after unlock: %v", err)
	}
	unlock2()
}
