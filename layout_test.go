package pkcecheck_test

import (
	"errors"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/pkcecheck/pkcecheck"

// layers is the pipeline read top to bottom (README, "How it works"): a
// package may import packages of its own layer or of a layer below, never
// one above. Patterns end in "/" for a folder's packages.
var layers = []struct {
	name     string
	packages []string
}{
	{"commands and the Go API", []string{"cmd/", "suites/pkcetest", "e2e/providers/dex/cmd/", "e2e/providers/hydra/cmd/",
		"e2e/providers/django/cmd/", "e2e/providers/springauthz/cmd/"}},
	{"session, fuzzing, reports", []string{"session", "fuzz", "reports", "internal/baseline", "internal/links"}},
	{"suites", []string{"suites"}},
	{"drivers", []string{"drivers/"}},
	{"protocol and fixtures", []string{"protocol/", "internal/httpclient", "refidp", "e2e/"}},
	{"profiles, requirements, results", []string{"profiles", "requirements", "results"}},
}

// fixtures are the packages that exist for tests and `pkcecheck demo`: each
// maps to the only packages whose non-test code may import it.
var fixtures = map[string][]string{
	"refidp": {"cmd/pkcecheck", "internal/links"},
	"e2e/":   {"e2e/"},
}

// upwardInTests are the test imports allowed to run upward, with why.
var upwardInTests = map[[2]string]string{
	// `go test ./suites` runs the specs through a session (README).
	{"suites", "session"}: "TestSuites is the go test entry point of the specs",
}

// TestLayers checks every import of every package of the module, tests
// included, against the layer table.
func TestLayers(t *testing.T) {
	pkgs := modulePackages(t)
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages; is the test running from the module root?", len(pkgs))
	}
	for _, p := range pkgs {
		from := strings.TrimPrefix(p.ImportPath, module+"/")
		fromLayer := layerOf(from)
		if fromLayer < 0 {
			t.Errorf("%s is in no layer: add it to the table in layout_test.go (and to the README)", from)
			continue
		}
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				to, ok := strings.CutPrefix(imp, module+"/")
				if !ok || to == from {
					continue
				}
				toLayer := layerOf(to)
				switch {
				case toLayer < 0:
					t.Errorf("%s imports %s, which is in no layer", from, to)
				case toLayer < fromLayer && !(test && upwardInTests[[2]string{from, to}] != ""):
					t.Errorf("%s (%s) imports %s (%s): the import runs upward", from, layers[fromLayer].name, to, layers[toLayer].name)
				}
				if allowed, isFixture := fixtureRule(to); isFixture && !test && !matchesAny(from, allowed) {
					t.Errorf("%s imports %s outside its tests: only %v may", from, to, allowed)
				}
			}
		}
		check(p.Imports, false)
		check(p.TestImports, true)
		check(p.XTestImports, true)
	}
}

// TestLayerTableHasNoStaleEntries keeps the table honest: every pattern
// names at least one package.
func TestLayerTableHasNoStaleEntries(t *testing.T) {
	pkgs := modulePackages(t)
	for _, l := range layers {
		for _, pat := range l.packages {
			found := slices.ContainsFunc(pkgs, func(p *build.Package) bool {
				return matches(strings.TrimPrefix(p.ImportPath, module+"/"), pat)
			})
			if !found {
				t.Errorf("layer %q: %s names no package", l.name, pat)
			}
		}
	}
}

// layerOf is the index of the layer of pkg (0 is the top), -1 if none. The
// longest matching pattern wins, so suites/pkcetest is not in suites' layer.
func layerOf(pkg string) int {
	best, bestLen := -1, -1
	for i, l := range layers {
		for _, pat := range l.packages {
			if matches(pkg, pat) && len(pat) > bestLen {
				best, bestLen = i, len(pat)
			}
		}
	}
	return best
}

func fixtureRule(pkg string) (allowed []string, ok bool) {
	for pat, allowed := range fixtures {
		if matches(pkg, pat) {
			return allowed, true
		}
	}
	return nil, false
}

func matchesAny(pkg string, pats []string) bool {
	return slices.ContainsFunc(pats, func(pat string) bool { return matches(pkg, pat) })
}

// matches reports whether pkg is pat, or lies in folder pat when pat ends
// in "/".
func matches(pkg, pat string) bool {
	if dir, ok := strings.CutSuffix(pat, "/"); ok {
		return pkg == dir || strings.HasPrefix(pkg, pat)
	}
	return pkg == pat
}

// modulePackages reads the imports of every package of the module (not of
// the nested scratch modules that build Dex and Hydra).
func modulePackages(t *testing.T) []*build.Package {
	t.Helper()
	var pkgs []*build.Package
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != "." {
			return filepath.SkipDir // another module
		}
		p, err := build.ImportDir(path, 0)
		var noGo *build.NoGoError
		switch {
		case errors.As(err, &noGo):
			return nil
		case err != nil:
			return err
		}
		p.ImportPath = module
		if path != "." {
			p.ImportPath += "/" + filepath.ToSlash(path)
		}
		if path != "." {
			pkgs = append(pkgs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the packages: %v", err)
	}
	return pkgs
}

// TestPublicAPIHidesInternalTypes checks that no exported declaration of a
// public package (function signature, type, field, variable) names a type
// of an internal package: a program outside the module could not use it.
func TestPublicAPIHidesInternalTypes(t *testing.T) {
	for _, p := range modulePackages(t) {
		if strings.Contains(p.ImportPath+"/", "/internal/") || p.Name == "main" {
			continue
		}
		fset := token.NewFileSet()
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			internal := internalImports(f)
			if len(internal) == 0 {
				continue
			}
			for _, node := range exportedAPI(f) {
				ast.Inspect(node, func(n ast.Node) bool {
					sel, ok := n.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] != "" {
						t.Errorf("%s: exported API names %s.%s (%s)", fset.Position(sel.Pos()), id.Name, sel.Sel.Name, internal[id.Name])
					}
					return true
				})
			}
		}
	}
}

// internalImports maps the local names of f's imports of internal
// packages to their paths.
func internalImports(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if !strings.Contains(path+"/", "/internal/") {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		m[name] = path
	}
	return m
}

// exportedAPI returns the parts of f's declarations another package sees:
// signatures of exported functions and of exported methods of exported
// types, exported types (their exported fields and methods), and the
// types of exported variables and constants.
func exportedAPI(f *ast.File) []ast.Node {
	var out []ast.Node
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			if d.Recv != nil && !exportedReceiver(d.Recv) {
				continue
			}
			out = append(out, d.Type)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						out = append(out, exportedParts(s.Type)...)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() {
							if s.Type != nil {
								out = append(out, s.Type)
							}
							for _, v := range s.Values {
								out = append(out, v)
							}
							break
						}
					}
				}
			}
		}
	}
	return out
}

// exportedParts drops the unexported fields and methods of a struct or
// interface type.
func exportedParts(e ast.Expr) []ast.Node {
	var fields *ast.FieldList
	switch e := e.(type) {
	case *ast.StructType:
		fields = e.Fields
	case *ast.InterfaceType:
		fields = e.Methods
	default:
		return []ast.Node{e}
	}
	var out []ast.Node
	for _, f := range fields.List {
		exported := len(f.Names) == 0 // embedded: promoted fields are visible
		for _, n := range f.Names {
			exported = exported || n.IsExported()
		}
		if exported {
			out = append(out, f.Type)
		}
	}
	return out
}

func exportedReceiver(recv *ast.FieldList) bool {
	e := recv.List[0].Type
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return false
		}
	}
}

// TestReadmeTableMatchesFolders: README's "How it works" table names folders
// that exist, and every package of the module lies in one of them.
func TestReadmeTableMatchesFolders(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## How it works\n")
	if !ok {
		t.Fatal(`README.md has no "## How it works" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var listed []string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		for _, f := range strings.Split(first, ",") {
			listed = append(listed, strings.Trim(strings.TrimSpace(f), "`/"))
		}
	}
	if len(listed) < 10 {
		t.Fatalf("found only %v in the table", listed)
	}
	for _, f := range listed {
		if matches, _ := filepath.Glob(f); len(matches) == 0 {
			t.Errorf("the README table lists %s, which does not exist", f)
		}
	}
	for _, p := range modulePackages(t) {
		pkg := strings.TrimPrefix(p.ImportPath, module+"/")
		covered := slices.ContainsFunc(listed, func(f string) bool {
			for dir := pkg; dir != "."; dir = filepath.Dir(dir) {
				if ok, _ := filepath.Match(f, dir); ok {
					return true
				}
			}
			return false
		})
		if !covered {
			t.Errorf("%s is in no folder of the README table", pkg)
		}
	}
}
