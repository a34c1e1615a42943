package nodeoidc

import (
	"context"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// Dir returns the folder that holds package.json and server.mjs.
func Dir() (string, error) {
	return process.SourceDir("nodeoidc package folder", ".", "package.json", "package-lock.json", "server.mjs")
}

// EnsureInstalled runs `npm ci` in Dir() when node_modules is missing or
// older than package-lock.json (process.NPMInstall).
func EnsureInstalled(ctx context.Context) error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	return process.NPMInstall(ctx, dir, "node-oidc-provider")
}

// lookTool finds node or npm in PATH, with an error that says what to install.
func lookTool(name string) (string, error) {
	return process.LookNodeTool(name, "node-oidc-provider")
}
