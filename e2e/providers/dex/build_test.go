package dex

import (
	"github.com/pkcecheck/pkcecheck/e2e/process"

	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// pinnedDex is the module version build/go.mod must require: the commit of
// the v2.45.1 tag (Dex's v2 tags are not valid Go module versions).
const pinnedDex = "github.com/dexidp/dex v0.0.0-20260303133905-11d2eeb52b42"

func TestBuildModulePinsDex(t *testing.T) {
	dir, err := BuildDir()
	if err != nil {
		t.Fatalf("BuildDir: %v", err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tool " + buildPackage, pinnedDex} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("build/go.mod lacks %q", want)
		}
	}
	if !strings.Contains(string(sum), pinnedDex+" h1:") {
		t.Errorf("build/go.sum lacks the hash of %s", pinnedDex)
	}
	// No Go files: the folder only pins versions, and its own go.mod keeps
	// it out of the main module's ./... patterns.
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(matches) > 0 {
		t.Errorf("build/ holds Go files: %v", matches)
	}
}

func TestModuleKeyFollowsContent(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n")
	write("go.sum", "a\n")
	k1, err := moduleKey(dir)
	if err != nil {
		t.Fatalf("moduleKey: %v", err)
	}
	if k, _ := moduleKey(dir); k != k1 {
		t.Errorf("moduleKey is not stable: %s then %s", k1, k)
	}
	write("go.sum", "b\n")
	if k, _ := moduleKey(dir); k == k1 {
		t.Errorf("moduleKey did not change with go.sum")
	}
	// Moving bytes between the files changes the key too.
	write("go.mod", "module m\na\n")
	write("go.sum", "")
	k2, _ := moduleKey(dir)
	write("go.mod", "module m\n")
	write("go.sum", "a\n")
	if k2 == k1 {
		t.Errorf("moduleKey ignores file boundaries")
	}
	if err := os.Remove(filepath.Join(dir, "go.sum")); err != nil {
		t.Fatal(err)
	}
	if _, err := moduleKey(dir); err == nil {
		t.Error("moduleKey without go.sum succeeded")
	}
}

func TestBinaryPathIsKeyedByVersionAndModule(t *testing.T) {
	bin, err := BinaryPath()
	if err != nil {
		t.Fatalf("BinaryPath: %v", err)
	}
	dir, _ := BuildDir()
	key, _ := moduleKey(dir)
	if got, want := filepath.Base(filepath.Dir(bin)), "dex-"+Version+"-"+key; got != want {
		t.Errorf("cache folder = %q, want %q", got, want)
	}
	if filepath.Base(bin) != binaryName {
		t.Errorf("binary name = %q", filepath.Base(bin))
	}
}

func TestBuildEnv(t *testing.T) {
	in := []string{"HOME=/root", "GOFLAGS=-mod=vendor", "GOWORK=/x/go.work", "CGO_ENABLED=1",
		"GOOS=windows", "GOARCH=arm", "GOPROXY=https://proxy.golang.org"}
	got := buildEnv(in)
	want := []string{"HOME=/root", "GOPROXY=https://proxy.golang.org", "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=0"}
	if !slices.Equal(got, want) {
		t.Errorf("buildEnv = %q, want %q", got, want)
	}
}

func TestBuildArgs(t *testing.T) {
	args := buildArgs("/tmp/out")
	for _, want := range []string{"-mod=readonly", "-trimpath", "-ldflags=-s -w", buildPackage} {
		if !slices.Contains(args, want) {
			t.Errorf("build args %q lack %q", args, want)
		}
	}
	if i := slices.Index(args, "-o"); i < 0 || i+1 >= len(args) || args[i+1] != "/tmp/out" {
		t.Errorf("build args %q do not write to /tmp/out", args)
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

func TestIsExecutable(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "exe")
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(exe, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{exe: true, plain: false, dir: false, filepath.Join(dir, "missing"): false} {
		if got := isExecutable(path); got != want {
			t.Errorf("isExecutable(%s) = %v, want %v", filepath.Base(path), got, want)
		}
	}
}
