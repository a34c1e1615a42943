package nodeoidc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// installMarker is the file npm writes into node_modules on every install; its
// modification time says when node_modules was last installed.
const installMarker = "node_modules/.package-lock.json"

// lockFileName serializes EnsureInstalled between processes (it is gitignored).
const lockFileName = ".install.lock"

// Dir returns the folder that holds package.json and server.mjs.
func Dir() (string, error) {
	return process.SourceDir("nodeoidc package folder", ".", "package.json", "package-lock.json", "server.mjs")
}

// EnsureInstalled runs `npm ci` in Dir() when node_modules is missing or older
// than package-lock.json. A file lock keeps concurrent test binaries from
// installing at the same time; the ones that wait find the work done.
func EnsureInstalled(ctx context.Context) error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	if _, err := lookTool("node"); err != nil {
		return err
	}
	fresh, err := installFresh(dir)
	if err != nil || fresh {
		return err
	}
	npm, err := lookTool("npm")
	if err != nil {
		return err
	}

	unlock, err := process.LockFile(ctx, filepath.Join(dir, lockFileName))
	if err != nil {
		return err
	}
	defer unlock()

	// Another process may have installed while this one waited for the lock.
	if fresh, err := installFresh(dir); err != nil || fresh {
		return err
	}

	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm ci in %s: %w\n%s", dir, err, process.LastLines(string(out), 20))
	}
	// Make the marker newer than the lock file even if clocks or copies left
	// package-lock.json with a later time, so the next call does not reinstall.
	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, installMarker), now, now); err != nil {
		return fmt.Errorf("mark node_modules installed in %s: %w", dir, err)
	}
	return nil
}

// installFresh reports whether node_modules was installed after the last
// change to package-lock.json.
func installFresh(dir string) (bool, error) {
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return false, fmt.Errorf("check node_modules in %s: %w", dir, err)
	}
	marker, err := os.Stat(filepath.Join(dir, installMarker))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check node_modules in %s: %w", dir, err)
	}
	return !marker.ModTime().Before(lock.ModTime()), nil
}

// lookTool finds node or npm in PATH, with an error that says what to install.
func lookTool(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("find %s in PATH (node-oidc-provider needs Node.js 20+ and npm; install them, e.g. apt-get install nodejs npm): %w", name, err)
	}
	return path, nil
}
