package suites

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// TestLabelRegistryMatchesSpecs reads the spec files: every requirement a
// file declares with declareSpecs labels at least one of its specs, and
// every label goes through the file's declaration. So the registry that
// `pkcecheck list --where` and the catalogue link test read is exact.
func TestLabelRegistryMatchesSpecs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	labelled := map[string][]requirements.ID{} // file -> IDs its specs use
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "ginkgo" && fn.Sel.Name == "Label" && name != "labels.go" {
					t.Errorf("%s: ginkgo.Label at %s: label specs through the file's declareSpecs", name, fset.Position(call.Pos()))
				}
				if fn.Sel.Name != "label" || len(call.Args) != 1 {
					return true
				}
				labelled["suites/"+name] = append(labelled["suites/"+name], constID(t, fset, call.Args[0]))
			}
			return true
		})
	}
	declared := map[string]bool{}
	for _, f := range registry {
		declared[f.file] = true
		for _, id := range f.covers {
			if _, ok := requirements.Lookup(id); !ok {
				t.Errorf("%s declares %s, which is not in the catalogue", f.file, id)
			}
			if !slices.Contains(labelled[f.file], id) {
				t.Errorf("%s declares %s but no spec of it carries the label", SpecLocation{f.file, f.line}, id)
			}
		}
	}
	for file, ids := range labelled {
		if !declared[file] {
			t.Errorf("%s labels specs %v without declareSpecs", file, ids)
		}
	}
}

var idConstCache map[string]requirements.ID

// idConsts maps the names of package requirements' ID constants to their
// values, read from its sources.
func idConsts(t *testing.T) map[string]requirements.ID {
	if idConstCache != nil {
		return idConstCache
	}
	idConstCache = map[string]requirements.ID{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob("../requirements/*.go")
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "ID" {
					continue
				}
				for i, n := range vs.Names {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						idConstCache[n.Name] = requirements.ID(v)
					}
				}
			}
		}
	}
	return idConstCache
}

// constID resolves requirements.X in an argument to its ID.
func constID(t *testing.T, fset *token.FileSet, e ast.Expr) requirements.ID {
	sel, ok := e.(*ast.SelectorExpr)
	if x, ok2 := sel.X.(*ast.Ident); !ok || !ok2 || x.Name != "requirements" {
		t.Errorf("%s: label with %T: use a requirements constant", fset.Position(e.Pos()), e)
		return ""
	}
	if id, ok := idConsts(t)[sel.Sel.Name]; ok {
		return id
	}
	t.Errorf("%s: requirements.%s is not a catalogue ID", fset.Position(e.Pos()), sel.Sel.Name)
	return ""
}
