package process

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"
)

// GoBuild is a provider binary built with `go build` from a scratch module
// (build/go.mod and build/go.sum next to the provider's package) that pins
// the provider and its dependencies. Dex and Hydra are built this way.
type GoBuild struct {
	Name    string // "dex": the binary's name, its cache folder's prefix, errors
	Version string // the pinned version, in the cache folder's name
	// Dir locates the scratch module (SourceDir, called from the
	// provider's package).
	Dir     func() (string, error)
	Package string   // the main package built
	Flags   []string // `go build` flags, before -o
	// HashFlags makes the cache folder's key cover Flags too (a changed
	// flag builds into a new folder).
	HashFlags bool
	CGO       bool          // cgo on (Hydra's SQLite) or off
	Timeout   time.Duration // bounds a cold build
}

// SourceDir returns the folder rel below the folder of the caller's source
// file, after checking that it holds names: found from the source, so it
// works from any test package's working directory. what names the folder
// in errors.
func SourceDir(what, rel string, names ...string) (string, error) {
	_, file, _, ok := runtime.Caller(1)
	if !ok {
		return "", fmt.Errorf("locate the %s: runtime.Caller failed", what)
	}
	dir := filepath.Join(filepath.Dir(file), rel)
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", fmt.Errorf("locate the %s: %w", what, err)
		}
	}
	return dir, nil
}

// BinaryPath returns where the binary for the current build module lives:
// os.UserCacheDir()/pkcecheck/<name>-<version>-<key>/<name>, where key
// hashes go.mod and go.sum (and Flags, with HashFlags), so a changed pin
// builds into a new folder.
func (b GoBuild) BinaryPath() (string, error) {
	dir, err := b.Dir()
	if err != nil {
		return "", err
	}
	var flags []string
	if b.HashFlags {
		flags = b.Flags
	}
	key, err := ModuleKey(dir, flags)
	if err != nil {
		return "", fmt.Errorf("hash the %s build module: %w", b.Name, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory for the %s binary: %w", b.Name, err)
	}
	return filepath.Join(cache, "pkcecheck", b.Name+"-"+b.Version+"-"+key, b.Name), nil
}

// ModuleKey is a short hash of dir's go.mod and go.sum and, when given, of
// flags.
func ModuleKey(dir string, flags []string) (string, error) {
	h := sha256.New()
	if flags != nil {
		fmt.Fprintf(h, "flags %q\n", flags)
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// EnsureBuilt returns the path of the binary, building it first when the
// cache lacks it. A file lock keeps concurrent test binaries from building
// at the same time; the ones that wait find the work done. The build is
// bounded by ctx and Timeout, and the binary appears atomically (built
// under a temporary name, then renamed).
func (b GoBuild) EnsureBuilt(ctx context.Context) (string, error) {
	bin, err := b.BinaryPath()
	if err != nil {
		return "", err
	}
	if IsExecutable(bin) {
		return bin, nil
	}
	dir, err := b.Dir()
	if err != nil {
		return "", err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find go in PATH (needed once to build %s %s): %w", b.Name, b.Version, err)
	}
	cacheDir := filepath.Dir(bin)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("create the %s cache folder %s: %w", b.Name, cacheDir, err)
	}
	unlock, err := LockFile(ctx, filepath.Join(cacheDir, ".build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	// Another process may have built while this one waited for the lock.
	if IsExecutable(bin) {
		return bin, nil
	}

	ctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	tmp := filepath.Join(cacheDir, b.Name+".tmp-"+strconv.Itoa(os.Getpid()))
	defer os.Remove(tmp) // a no-op once renamed
	cmd := exec.CommandContext(ctx, goTool, b.Args(tmp)...)
	cmd.Dir = dir
	cmd.Env = BuildEnv(os.Environ(), b.CGO)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build %s %s in %s: %w\n%s", b.Name, b.Version, dir, err, LastLines(string(out), 20))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("install the %s binary at %s: %w", b.Name, bin, err)
	}
	return bin, nil
}

// Args is the `go build` command line that writes the binary to out.
func (b GoBuild) Args(out string) []string {
	args := append([]string{"build"}, b.Flags...)
	return append(args, "-o", out, b.Package)
}

// BuildEnv is the environment of `go build`: the scratch module on its own
// (no workspace, no inherited flags, the host platform), cgo on or off.
func BuildEnv(env []string, cgo bool) []string {
	out := Env(env, func(name string) bool {
		return !slices.Contains([]string{"GOWORK", "GOFLAGS", "CGO_ENABLED", "GOOS", "GOARCH"}, name)
	})
	cgoEnabled := "CGO_ENABLED=0"
	if cgo {
		cgoEnabled = "CGO_ENABLED=1"
	}
	return append(out, "GOWORK=off", "GOFLAGS=", cgoEnabled)
}

// IsExecutable reports whether path is a regular file with an execute bit.
func IsExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
