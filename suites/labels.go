package suites

import (
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// specFile is the label registry entry of one file of specs: the
// requirements its specs are labelled with. Each spec file declares one at
// package level, so the registry is complete before any spec tree is built
// (`pkcecheck list --where` reads it), and labels its specs through it, so
// a spec cannot carry a requirement its file did not declare.
type specFile struct {
	file   string // e.g. "suites/verifier.go"
	line   int    // of the declaration
	covers []requirements.ID
}

var registry []*specFile

// declareSpecs registers the calling file's specs as covering ids.
func declareSpecs(ids ...requirements.ID) *specFile {
	_, file, line, _ := runtime.Caller(1)
	f := &specFile{file: "suites/" + path.Base(file), line: line, covers: ids}
	registry = append(registry, f)
	return f
}

// label is the Ginkgo label of a spec that checks id. It panics (while the
// spec tree is built) when the file did not declare id.
func (f *specFile) label(id requirements.ID) ginkgo.Labels {
	if !slices.Contains(f.covers, id) {
		panic(fmt.Sprintf("%s labels a spec %s but does not declare it in declareSpecs", f.file, id))
	}
	return ginkgo.Label(string(id))
}

// SpecLocation is where the specs of a requirement are declared.
type SpecLocation struct {
	File string // e.g. "suites/verifier.go"
	Line int    // the line of the file's declareSpecs
}

func (l SpecLocation) String() string { return fmt.Sprintf("%s:%d", l.File, l.Line) }

// Where returns the spec files that check id, in file order; none when no
// spec checks it.
func Where(id requirements.ID) []SpecLocation {
	var out []SpecLocation
	for _, f := range registry {
		if slices.Contains(f.covers, id) {
			out = append(out, SpecLocation{f.file, f.line})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Covered returns every requirement some spec file declares, sorted.
func Covered() []requirements.ID {
	seen := map[requirements.ID]bool{}
	var out []requirements.ID
	for _, f := range registry {
		for _, id := range f.covers {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}
