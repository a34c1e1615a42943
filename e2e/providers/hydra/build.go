package hydra

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultBuildTimeout bounds a cold build of Hydra (about 3 minutes on two
// cores, plus the module download).
const DefaultBuildTimeout = 10 * time.Minute

// buildPackage is the main package built from the scratch module.
const buildPackage = "github.com/ory/hydra/v2"

// buildTags are the tags Hydra needs for its in-memory (SQLite) storage;
// sqlite_omit_load_extension leaves out SQLite's dynamic extension loading.
const buildTags = "sqlite,sqlite_omit_load_extension"

// buildLDFlags strip debug information (a smaller binary, a faster link) and
// stamp the version Hydra reports.
const buildLDFlags = "-s -w -X github.com/ory/hydra/v2/driver/config.Version=" + Version

// buildFlags are the `go build` flags; the binary's cache folder is keyed by
// them too. VCS stamping is off: the main module is the scratch module, whose
// repository says nothing about Hydra.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=" + buildLDFlags, "-tags", buildTags}

// binaryName is the file name of the built binary in the cache.
const binaryName = "hydra"

// BuildDir returns the scratch module (build/go.mod, build/go.sum) that pins
// Hydra and its dependencies. It is found from this source file's location,
// so it works from any test package's working directory.
func BuildDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("locate the hydra build module: runtime.Caller failed")
	}
	dir := filepath.Join(filepath.Dir(file), "build")
	for _, name := range []string{"go.mod", "go.sum"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", fmt.Errorf("locate the hydra build module: %w", err)
		}
	}
	return dir, nil
}

// BinaryPath returns where the Hydra binary for the current build module
// lives: os.UserCacheDir()/pkcecheck/hydra-<version>-<hash>/hydra, where hash
// covers go.mod, go.sum and the build flags, so a changed pin builds into a
// new folder.
func BinaryPath() (string, error) {
	dir, err := BuildDir()
	if err != nil {
		return "", err
	}
	key, err := moduleKey(dir)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory for the hydra binary: %w", err)
	}
	return filepath.Join(cache, "pkcecheck", "hydra-"+Version+"-"+key, binaryName), nil
}

// moduleKey is a short hash of the build module's go.mod and go.sum and of
// the build flags.
func moduleKey(dir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "flags %q\n", buildFlags)
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", fmt.Errorf("hash the hydra build module: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// EnsureBuilt returns the path of the Hydra binary, building it first when
// the cache lacks it. A file lock keeps concurrent test binaries from
// building at the same time; the ones that wait find the work done. The
// build is bounded by ctx and DefaultBuildTimeout.
func EnsureBuilt(ctx context.Context) (string, error) {
	bin, err := BinaryPath()
	if err != nil {
		return "", err
	}
	if isExecutable(bin) {
		return bin, nil
	}
	dir, err := BuildDir()
	if err != nil {
		return "", err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find go in PATH (needed once to build Hydra %s): %w", Version, err)
	}
	cacheDir := filepath.Dir(bin)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("create the hydra cache folder %s: %w", cacheDir, err)
	}
	unlock, err := process.LockFile(ctx, filepath.Join(cacheDir, ".build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	// Another process may have built while this one waited for the lock.
	if isExecutable(bin) {
		return bin, nil
	}

	ctx, cancel := context.WithTimeout(ctx, DefaultBuildTimeout)
	defer cancel()
	tmp := filepath.Join(cacheDir, binaryName+".tmp-"+strconv.Itoa(os.Getpid()))
	defer os.Remove(tmp) // a no-op once renamed
	args := append(append([]string{"build"}, buildFlags...), "-o", tmp, buildPackage)
	cmd := exec.CommandContext(ctx, goTool, args...)
	cmd.Dir = dir
	cmd.Env = buildEnv(os.Environ())
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build hydra %s in %s: %w\n%s", Version, dir, err, process.LastLines(string(out), 20))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("install the hydra binary at %s: %w", bin, err)
	}
	return bin, nil
}

// buildEnv is the environment of `go build`: the scratch module on its own
// (no workspace, no inherited flags) and cgo on, for SQLite.
func buildEnv(env []string) []string {
	out := make([]string, 0, len(env)+3)
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOWORK", "GOFLAGS", "CGO_ENABLED", "GOOS", "GOARCH":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=1")
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
