package hydra

import (
	"context"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultBuildTimeout bounds a cold build of Hydra (about 3 minutes on two
// cores, plus the module download).
const DefaultBuildTimeout = 10 * time.Minute

// buildPackage is the main package built from the scratch module.
const buildPackage = "github.com/ory/hydra/v2"

// buildTags are the tags Hydra needs for its in-memory (SQLite) storage;
// sqlite_omit_load_extension leaves out SQLite's dynamic extension loading.
const buildTags = "sqlite,sqlite_omit_load_extension"

// buildLDFlags strip debug information (a smaller binary, a faster link) and
// stamp the version Hydra reports.
const buildLDFlags = "-s -w -X github.com/ory/hydra/v2/driver/config.Version=" + Version

// buildFlags are the `go build` flags; the binary's cache folder is keyed by
// them too. VCS stamping is off: the main module is the scratch module, whose
// repository says nothing about Hydra. cgo is on, for SQLite.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=" + buildLDFlags, "-tags", buildTags}

// BuildDir returns the scratch module (build/go.mod, build/go.sum) that pins
// Hydra and its dependencies.
func BuildDir() (string, error) {
	return process.SourceDir("hydra build module", "build", "go.mod", "go.sum")
}

// goBuild is the build of Hydra from the scratch module.
var goBuild = process.GoBuild{
	Name: "hydra", Version: Version, Dir: BuildDir, Package: buildPackage,
	Flags: buildFlags, HashFlags: true, CGO: true, Timeout: DefaultBuildTimeout,
}

// BinaryPath returns where the Hydra binary for the current build module
// lives: os.UserCacheDir()/pkcecheck/hydra-<version>-<hash>/hydra, where hash
// covers go.mod, go.sum and the build flags, so a changed pin builds into a
// new folder.
func BinaryPath() (string, error) {
	return goBuild.BinaryPath()
}

// EnsureBuilt returns the path of the Hydra binary, building it first when
// the cache lacks it (process.GoBuild.EnsureBuilt: one build at a time,
// bounded by ctx and DefaultBuildTimeout).
func EnsureBuilt(ctx context.Context) (string, error) {
	return goBuild.EnsureBuilt(ctx)
}
