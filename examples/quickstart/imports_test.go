package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExamplesUsePublicPackagesOnly: the examples show what a host can write, so none of
// them may import an internal package of the library (a host cannot). The one exception
// is the examples' own test support, examples/internal/browser, and only from tests.
func TestExamplesUsePublicPackagesOnly(t *testing.T) {
	files := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, "github.com/trustid/trustid/") || !strings.Contains(p+"/", "/internal/") {
				continue
			}
			ownTestSupport := strings.HasPrefix(p, "github.com/trustid/trustid/examples/internal/")
			inTestSupport := strings.HasPrefix(filepath.ToSlash(path), "../internal/")
			if ownTestSupport && (strings.HasSuffix(path, "_test.go") || inTestSupport) {
				continue
			}
			t.Errorf("%s imports %s", path, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("read %d example files; the walk missed the examples", files)
	}
}
