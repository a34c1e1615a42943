package process

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestModuleKey(t *testing.T) {
	key := func(mod, sum string, flags []string) string {
		t.Helper()
		dir := t.TempDir()
		for name, data := range map[string]string{"go.mod": mod, "go.sum": sum} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		k, err := ModuleKey(dir, flags)
		if err != nil {
			t.Fatalf("ModuleKey: %v", err)
		}
		return k
	}
	base := key("module a\n", "x h1:1\n", nil)
	tests := []struct {
		name     string
		mod, sum string
		flags    []string
		same     bool
	}{
		{"same files", "module a\n", "x h1:1\n", nil, true},
		{"go.sum changed", "module a\n", "x h1:2\n", nil, false},
		{"go.mod changed", "module b\n", "x h1:1\n", nil, false},
		{"bytes moved between the files", "module a\nx", " h1:1\n", nil, false},
		{"flags hashed", "module a\n", "x h1:1\n", []string{"-trimpath"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := key(tt.mod, tt.sum, tt.flags); (got == base) != tt.same {
				t.Errorf("key = %s, base %s, want same=%v", got, base, tt.same)
			}
		})
	}
	if _, err := ModuleKey(t.TempDir(), nil); err == nil {
		t.Error("ModuleKey of an empty folder succeeded")
	}
}

func TestGoBuildBinaryPath(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := GoBuild{Name: "prov", Version: "v1.2.3", Dir: func() (string, error) { return dir, nil }, Flags: []string{"-trimpath"}}
	bin, err := b.BinaryPath()
	if err != nil {
		t.Fatalf("BinaryPath: %v", err)
	}
	cache, _ := os.UserCacheDir()
	key, _ := ModuleKey(dir, nil)
	if want := filepath.Join(cache, "pkcecheck", "prov-v1.2.3-"+key, "prov"); bin != want {
		t.Errorf("BinaryPath = %s, want %s", bin, want)
	}
	b.HashFlags = true
	if hashed, _ := b.BinaryPath(); hashed == bin {
		t.Errorf("with HashFlags the path did not change: %s", hashed)
	}
}

func TestGoBuildArgs(t *testing.T) {
	b := GoBuild{Package: "example.com/cmd/prov", Flags: []string{"-trimpath", "-ldflags=-s -w"}}
	want := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", "/tmp/out", "example.com/cmd/prov"}
	if got := b.Args("/tmp/out"); !slices.Equal(got, want) {
		t.Errorf("Args = %q, want %q", got, want)
	}
}

func TestBuildEnv(t *testing.T) {
	in := []string{"HOME=/root", "GOFLAGS=-mod=vendor", "GOWORK=/x/go.work", "CGO_ENABLED=1",
		"GOOS=windows", "GOARCH=arm", "GOPROXY=https://proxy.golang.org"}
	for _, tt := range []struct {
		cgo  bool
		want []string
	}{
		{false, []string{"HOME=/root", "GOPROXY=https://proxy.golang.org", "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=0"}},
		{true, []string{"HOME=/root", "GOPROXY=https://proxy.golang.org", "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=1"}},
	} {
		if got := BuildEnv(in, tt.cgo); !slices.Equal(got, tt.want) {
			t.Errorf("BuildEnv(cgo %v) = %q, want %q", tt.cgo, got, tt.want)
		}
	}
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
		if got := IsExecutable(path); got != want {
			t.Errorf("IsExecutable(%s) = %v, want %v", filepath.Base(path), got, want)
		}
	}
}

func TestSourceDir(t *testing.T) {
	dir, err := SourceDir("process package", ".", "gobuild.go")
	if err != nil {
		t.Fatalf("SourceDir: %v", err)
	}
	if filepath.Base(dir) != "process" {
		t.Errorf("SourceDir = %s, want this package's folder", dir)
	}
	if _, err := SourceDir("nothing", ".", "no-such-file"); err == nil || !strings.Contains(err.Error(), "locate the nothing") {
		t.Errorf("SourceDir of a missing file = %v", err)
	}
}

func TestLockFileWaitsAndHonoursContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".build.lock")
	unlock, err := LockFile(context.Background(), path)
	if err != nil {
		t.Fatalf("first LockFile: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := LockFile(ctx, path); err == nil || !strings.Contains(err.Error(), "wait for lock") {
		t.Fatalf("second LockFile while held = %v, want a wait error", err)
	}
	unlock()
	unlock2, err := LockFile(context.Background(), path)
	if err != nil {
		t.Fatalf("LockFile after unlock: %v", err)
	}
	unlock2()
}
