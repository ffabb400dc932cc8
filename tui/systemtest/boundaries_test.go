package systemtest

import (
	"errors"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/okno-mfc/okno/"

// TestBoundaries keeps the TUI's walls where they are: no package under
// tui/ talks to the network itself (the link does: it is the only way to
// client), tui/i18n translates the domain's errors and needs no store, and
// only the root names the concrete store: a screen uses the small Store
// interface of its own package. Test files are free to reach further.
func TestBoundaries(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir("..", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() == "testdata" {
			return err
		}
		pkg, err := build.ImportDir(dir, 0)
		var none *build.NoGoError
		if errors.As(err, &none) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel("..", dir)
		if err != nil {
			return err
		}
		name := "tui/" + filepath.ToSlash(rel)
		if rel == "." {
			name = "tui"
		}
		for _, imp := range pkg.Imports {
			switch {
			case imp == module+"client":
				t.Errorf("%s imports client: the TUI reaches the central through link only", name)
			case imp == module+"localdb" && name == "tui/i18n":
				t.Errorf("tui/i18n imports localdb: it translates domain errors only")
			case strings.HasPrefix(imp, module+"central"):
				t.Errorf("%s imports %s: the workstation shares only domain and the wire types with the central", name, imp)
			}
		}
		if rel != "." && name != "tui/fake" {
			for _, f := range pkg.GoFiles {
				if names := concreteStore(t, filepath.Join(dir, f)); len(names) > 0 {
					t.Errorf("%s/%s names *localdb.Store (%s): give the screen its own small Store interface", name, f, strings.Join(names, ", "))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// concreteStore lists where a file names localdb.Store.
func concreteStore(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var at []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Store" {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "localdb" {
				at = append(at, fset.Position(sel.Pos()).String())
			}
		}
		return true
	})
	return slices.Compact(at)
}
