package nodeoidc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// installMarker is the file npm writes into node_modules on every install; its
// modification time says when node_modules was last installed.
const installMarker = "node_modules/.package-lock.json"

// lockFileName serializes EnsureInstalled between processes (it is gitignored).
const lockFileName = ".install.lock"

// Dir returns the folder that holds package.json and server.mjs. It is found
// from this source file's location, so it works from any test package's
// working directory.
func Dir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("locate the nodeoidc package folder: runtime.Caller failed")
	}
	dir := filepath.Dir(file)
	for _, name := range []string{"package.json", "package-lock.json", "server.mjs"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", fmt.Errorf("locate the nodeoidc package folder: %w", err)
		}
	}
	return dir, nil
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

	unlock, err := lockDir(ctx, filepath.Join(dir, lockFileName))
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

// lockDir takes an exclusive flock on path, polling so ctx can end the wait,
// and returns the function that releases it.
func lockDir(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open install lock %s: %w", path, err)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("wait for install lock %s: %w", path, ctx.Err())
		case <-tick.C:
		}
	}
}
