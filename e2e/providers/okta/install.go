package okta

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// WidgetDir returns the folder holding widget/package.json and its lock.
func WidgetDir() (string, error) {
	return process.SourceDir("okta widget package folder", "widget", "package.json", "package-lock.json")
}

// EnsureWidget runs `npm ci` in WidgetDir() when needed and returns the
// widget's dist folder (js/, css/, font/, img/), which the org serves
// under /assets/.
func EnsureWidget(ctx context.Context) (string, error) {
	dir, err := WidgetDir()
	if err != nil {
		return "", err
	}
	if err := process.NPMInstall(ctx, dir, "@okta/okta-signin-widget "+WidgetVersion); err != nil {
		return "", err
	}
	dist := filepath.Join(dir, "node_modules", "@okta", "okta-signin-widget", "dist")
	for _, f := range []string{"js/okta-sign-in.min.js", "js/okta-sign-in.next.js", "css/okta-sign-in.min.css", "css/okta-sign-in.next.css"} {
		if _, err := os.Stat(filepath.Join(dist, f)); err != nil {
			return "", fmt.Errorf("okta widget %s lacks %s: %w", WidgetVersion, f, err)
		}
	}
	return dist, nil
}
