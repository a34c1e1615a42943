package springauthz

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultBuildTimeout bounds the one-time build of the jar: 9 to 12 s here
// with Maven's local repository filled, a few minutes when Maven fetches
// Spring Boot's dependencies (about 30 MB) from Maven Central first.
const DefaultBuildTimeout = 10 * time.Minute

// jarName is the jar the pom.xml's finalName gives.
const jarName = "spring-authz.jar"

// AppDir returns the Maven project in app/.
func AppDir() (string, error) {
	return process.SourceDir("spring authorization server app", "app", "pom.xml", filepath.Join("src", "main", "resources", "application.yml"))
}

// EnsureBuilt returns the path of the jar, building it first when the cache
// lacks it: the project is copied into the cache folder (keyed by every
// file of app/) and built there with `mvn package`, so nothing is written
// into the source tree.
func EnsureBuilt(ctx context.Context) (string, error) {
	src, err := AppDir()
	if err != nil {
		return "", err
	}
	files, inputs, err := appFiles(src)
	if err != nil {
		return "", err
	}
	c := process.Cached{Name: "spring-authorization-server", Version: Version, Inputs: inputs, Timeout: DefaultBuildTimeout}
	dir, err := c.Ensure(ctx, func(ctx context.Context, dir string) error {
		mvn, err := exec.LookPath("mvn")
		if err != nil {
			return fmt.Errorf("find mvn in PATH (needed once to build the app from Maven Central): %w", err)
		}
		for _, rel := range files {
			data, err := os.ReadFile(filepath.Join(src, rel))
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
				return err
			}
		}
		cmd := exec.CommandContext(ctx, mvn, "-B", "--no-transfer-progress", "-q", "package", "-DskipTests")
		cmd.Dir = dir
		cmd.SysProcAttr = process.Attr()
		cmd.WaitDelay = 5 * time.Second
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("mvn package (Maven Central blocked, or a version not served?): %w\n%s", err, process.LastLines(string(out), 20))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	jar := filepath.Join(dir, "target", jarName)
	if _, err := os.Stat(jar); err != nil {
		return "", fmt.Errorf("the spring authorization server build left no jar: %w", err)
	}
	return jar, nil
}

// appFiles lists the files of the Maven project (relative to src, in a
// stable order) and returns their names and contents, which key the cache.
func appFiles(src string) (files []string, inputs [][]byte, err error) {
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.IsDir() && d.Name() == "target" {
				return filepath.SkipDir
			}
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, rel)
		inputs = append(inputs, []byte(rel), data)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the spring authorization server app in %s: %w", src, err)
	}
	return files, inputs, nil
}
