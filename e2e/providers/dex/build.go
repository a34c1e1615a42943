package dex

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

// DefaultBuildTimeout bounds a cold build of Dex: about 36 s of module
// downloads and 1–2 minutes of compiling on two cores.
const DefaultBuildTimeout = 10 * time.Minute

// buildPackage is the main package built from the scratch module (a tool
// directive in build/go.mod keeps it and its dependencies pinned).
const buildPackage = "github.com/dexidp/dex/cmd/dex"

// binaryName is the file name of the built binary in the cache.
const binaryName = "dex"

// BuildDir returns the scratch module (build/go.mod, build/go.sum) that pins
// Dex and its dependencies. It is found from this source file's location, so
// it works from any test package's working directory.
func BuildDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("locate the dex build module: runtime.Caller failed")
	}
	dir := filepath.Join(filepath.Dir(file), "build")
	for _, name := range []string{"go.mod", "go.sum"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", fmt.Errorf("locate the dex build module: %w", err)
		}
	}
	return dir, nil
}

// BinaryPath returns where the Dex binary for the current build module
// lives: os.UserCacheDir()/pkcecheck/dex-<version>-<hash>/dex, where hash
// covers go.mod and go.sum, so a changed pin builds into a new folder.
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
		return "", fmt.Errorf("find the user cache directory for the dex binary: %w", err)
	}
	return filepath.Join(cache, "pkcecheck", "dex-"+Version+"-"+key, binaryName), nil
}

// moduleKey is a short hash of the build module's go.mod and go.sum.
func moduleKey(dir string) (string, error) {
	h := sha256.New()
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", fmt.Errorf("hash the dex build module: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// EnsureBuilt returns the path of the Dex binary, building it first when the
// cache lacks it. A file lock keeps concurrent test binaries from building at
// the same time; the ones that wait find the work done. The build is bounded
// by ctx and DefaultBuildTimeout, and the binary appears atomically (built
// under a temporary name, then renamed).
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
		return "", fmt.Errorf("find go in PATH (needed once to build Dex %s): %w", Version, err)
	}
	cacheDir := filepath.Dir(bin)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("create the dex cache folder %s: %w", cacheDir, err)
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
	cmd := exec.CommandContext(ctx, goTool, buildArgs(tmp)...)
	cmd.Dir = dir
	cmd.Env = buildEnv(os.Environ())
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build dex %s in %s: %w\n%s", Version, dir, err, process.LastLines(string(out), 20))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("install the dex binary at %s: %w", bin, err)
	}
	return bin, nil
}

// buildArgs is the `go build` command line that writes the binary to out:
// stripped, without paths of this machine, from the committed go.sum only.
func buildArgs(out string) []string {
	return []string{"build", "-mod=readonly", "-trimpath", "-buildvcs=false",
		"-ldflags=-s -w", "-o", out, buildPackage}
}

// buildEnv is the environment of `go build`: the scratch module on its own
// (no workspace, no inherited flags, the host platform) and cgo off. Without
// cgo Dex leaves out SQLite, which the in-memory storage does not need, and
// the build skips compiling SQLite's C sources.
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
	return append(out, "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=0")
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
