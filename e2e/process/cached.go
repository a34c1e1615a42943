package process

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Cached is an installation kept in the user cache directory that is not a
// single `go build` binary: a Python virtual environment, a jar built with
// Maven. Its folder is os.UserCacheDir()/pkcecheck/<Name>-<Version>-<key>,
// where key hashes Inputs, so a changed pin installs into a new folder.
type Cached struct {
	Name    string // "django": the folder's prefix, errors
	Version string // the pinned version, in the folder's name
	// Inputs are what the installation is made from (a requirements file's
	// bytes, the interpreter's version, a pom.xml): their hash keys the
	// folder.
	Inputs  [][]byte
	Timeout time.Duration // bounds a cold install
}

// readyMarker is written last into a Cached folder: its presence means the
// installation is complete.
const readyMarker = ".ready"

// Dir returns the installation's folder (which may not exist yet).
func (c Cached) Dir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory for %s: %w", c.Name, err)
	}
	h := sha256.New()
	for _, in := range c.Inputs {
		fmt.Fprintf(h, "%d\n", len(in))
		h.Write(in)
	}
	key := hex.EncodeToString(h.Sum(nil))[:16]
	return filepath.Join(cache, "pkcecheck", c.Name+"-"+c.Version+"-"+key), nil
}

// Ensure returns the installation's folder, calling install(ctx, dir) to
// fill dir/install first when the folder lacks its ready marker. A file
// lock keeps concurrent test binaries from installing at the same time;
// the ones that wait find the work done. A failed or interrupted install
// leaves no marker, and the next call starts again from an empty
// dir/install. Bounded by ctx and Timeout.
func (c Cached) Ensure(ctx context.Context, install func(ctx context.Context, dir string) error) (string, error) {
	root, err := c.Dir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "install")
	if isRegular(filepath.Join(root, readyMarker)) {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("create the %s cache folder %s: %w", c.Name, root, err)
	}
	unlock, err := LockFile(ctx, filepath.Join(root, ".build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if isRegular(filepath.Join(root, readyMarker)) {
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("clear %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	if err := install(ctx, dir); err != nil {
		return "", fmt.Errorf("install %s %s in %s: %w", c.Name, c.Version, dir, err)
	}
	if err := os.WriteFile(filepath.Join(root, readyMarker), []byte(c.Name+" "+c.Version+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("mark the %s cache ready: %w", c.Name, err)
	}
	return dir, nil
}

func isRegular(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
