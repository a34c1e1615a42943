package process

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// npmInstallMarker is the file npm writes into node_modules on every
// install; its modification time says when node_modules was last installed.
const npmInstallMarker = "node_modules/.package-lock.json"

// npmLockFileName serializes NPMInstall between processes (gitignored).
const npmLockFileName = ".install.lock"

// NPMInstall runs `npm ci` in dir (which holds package.json and
// package-lock.json) when node_modules is missing or older than
// package-lock.json. A file lock keeps concurrent test binaries from
// installing at the same time; the ones that wait find the work done. what
// names the packages in errors (e.g. "node-oidc-provider").
func NPMInstall(ctx context.Context, dir, what string) error {
	if _, err := LookNodeTool("node", what); err != nil {
		return err
	}
	fresh, err := NPMInstallFresh(dir)
	if err != nil || fresh {
		return err
	}
	npm, err := LookNodeTool("npm", what)
	if err != nil {
		return err
	}

	unlock, err := LockFile(ctx, filepath.Join(dir, npmLockFileName))
	if err != nil {
		return err
	}
	defer unlock()

	// Another process may have installed while this one waited for the lock.
	if fresh, err := NPMInstallFresh(dir); err != nil || fresh {
		return err
	}

	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm ci in %s: %w\n%s", dir, err, LastLines(string(out), 20))
	}
	// Make the marker newer than the lock file even if clocks or copies left
	// package-lock.json with a later time, so the next call does not reinstall.
	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, npmInstallMarker), now, now); err != nil {
		return fmt.Errorf("mark node_modules installed in %s: %w", dir, err)
	}
	return nil
}

// NPMInstallFresh reports whether node_modules in dir was installed after
// the last change to package-lock.json.
func NPMInstallFresh(dir string) (bool, error) {
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return false, fmt.Errorf("check node_modules in %s: %w", dir, err)
	}
	marker, err := os.Stat(filepath.Join(dir, npmInstallMarker))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check node_modules in %s: %w", dir, err)
	}
	return !marker.ModTime().Before(lock.ModTime()), nil
}

// LookNodeTool finds node or npm in PATH, with an error that says what to
// install and which packages (what) need it.
func LookNodeTool(name, what string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("find %s in PATH (%s needs Node.js 20+ and npm; install them, e.g. apt-get install nodejs npm): %w", name, what, err)
	}
	return path, nil
}
