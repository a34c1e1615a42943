package dex

import (
	"context"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// DefaultBuildTimeout bounds a cold build of Dex: about 36 s of module
// downloads and 1–2 minutes of compiling on two cores.
const DefaultBuildTimeout = 10 * time.Minute

// buildPackage is the main package built from the scratch module (a tool
// directive in build/go.mod keeps it and its dependencies pinned).
const buildPackage = "github.com/dexidp/dex/cmd/dex"

// buildFlags build a stripped binary, without paths of this machine, from
// the committed go.sum only. cgo is off: without it Dex leaves out SQLite,
// which the in-memory storage does not need, and the build skips compiling
// SQLite's C sources.
var buildFlags = []string{"-mod=readonly", "-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

// BuildDir returns the scratch module (build/go.mod, build/go.sum) that pins
// Dex and its dependencies.
func BuildDir() (string, error) {
	return process.SourceDir("dex build module", "build", "go.mod", "go.sum")
}

// goBuild is the build of Dex from the scratch module.
var goBuild = process.GoBuild{
	Name: "dex", Version: Version, Dir: BuildDir, Package: buildPackage,
	Flags: buildFlags, Timeout: DefaultBuildTimeout,
}

// BinaryPath returns where the Dex binary for the current build module
// lives: os.UserCacheDir()/pkcecheck/dex-<version>-<hash>/dex, where hash
// covers go.mod and go.sum, so a changed pin builds into a new folder.
func BinaryPath() (string, error) {
	return goBuild.BinaryPath()
}

// EnsureBuilt returns the path of the Dex binary, building it first when the
// cache lacks it (process.GoBuild.EnsureBuilt: one build at a time, bounded
// by ctx and DefaultBuildTimeout).
func EnsureBuilt(ctx context.Context) (string, error) {
	return goBuild.EnsureBuilt(ctx)
}
