package dex

import (
	"github.com/pkcecheck/pkcecheck/e2e/process"

	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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

func TestBinaryPathIsKeyedByVersionAndModule(t *testing.T) {
	bin, err := BinaryPath()
	if err != nil {
		t.Fatalf("BinaryPath: %v", err)
	}
	dir, _ := BuildDir()
	key, _ := process.ModuleKey(dir, nil)
	if got, want := filepath.Base(filepath.Dir(bin)), "dex-"+Version+"-"+key; got != want {
		t.Errorf("cache folder = %q, want %q", got, want)
	}
	if filepath.Base(bin) != "dex" {
		t.Errorf("binary name = %q", filepath.Base(bin))
	}
}

func TestBuildArgs(t *testing.T) {
	b := goBuild
	if b.CGO {
		t.Error("dex is built with cgo")
	}
	args := b.Args("/tmp/out")
	for _, want := range []string{"-mod=readonly", "-trimpath", "-ldflags=-s -w", buildPackage} {
		if !slices.Contains(args, want) {
			t.Errorf("build args %q lack %q", args, want)
		}
	}
	if i := slices.Index(args, "-o"); i < 0 || i+1 >= len(args) || args[i+1] != "/tmp/out" {
		t.Errorf("build args %q do not write to /tmp/out", args)
	}
}
