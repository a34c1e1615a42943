package auth0

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// LockDir returns the folder holding lock/package.json and its lock file.
func LockDir() (string, error) {
	return process.SourceDir("auth0 lock package folder", "lock", "package.json", "package-lock.json")
}

// EnsureLock runs `npm ci` in LockDir() when needed (its postinstall
// script bundles Lock's CommonJS build with esbuild into dist/lock.min.js,
// and Lock's English dictionary into dist/en.js) and returns dist's path.
func EnsureLock(ctx context.Context) (string, error) {
	dir, err := LockDir()
	if err != nil {
		return "", err
	}
	if err := process.NPMInstall(ctx, dir, "auth0-lock "+LockVersion); err != nil {
		return "", err
	}
	dist := filepath.Join(dir, "dist")
	for _, f := range []string{"lock.min.js", "en.js"} {
		if _, err := os.Stat(filepath.Join(dist, f)); err != nil {
			return "", fmt.Errorf("auth0-lock %s: the install step did not bundle %s (delete %s and retry): %w", LockVersion, f, filepath.Join(dir, "node_modules"), err)
		}
	}
	return dist, nil
}
