package privacy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// personalFields are field names that hold personal data wherever they appear: a person's
// names, document numbers, addresses, photo references, the opaque subject a person is
// bound to, the values of the facts a quiz asks about, the references (object keys) of
// uploaded files, which hosts sometimes build from a name or an ID number.
var personalFields = []string{
	"Name", "LatinName", "Number", "IDNumber", "Address", "Subject", "Holder", "HolderID",
	"Reference", "PhotoRef", "Photo", "Value", "Values", "Ticket", "Phone", "Email",
	"Plate", "VIN", "Text", "Data", "Ref", "Refs",
}

// personalTypes are types that are personal data in themselves (package.Type); every
// struct found by the scan joins them, so a struct holding one is found too.
var personalTypes = []string{"idcard.Number", "liveness.PhotoRef", "liveness.ProbeRef"}

// notPersonal are fields the name rule flags that hold no personal data, with the reason.
var notPersonal = map[string]string{
	"qrtoken.Purpose.Name":     "a purpose's name (internet-cafe), not a person's",
	"relyingparty.Client.Name": "a relying party's display name (a bank, a ticketing site), not a person's",
}

// textTypes are the field types that can carry a personal value under a personal name.
var textTypes = []string{"string", "[]string", "[]byte"}

// scanTypes returns "pkg.Type" for every exported struct type of the module's public
// packages (not internal, not examples, not test files) that has a personal-data field,
// with the fields that made it so.
func scanTypes(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..")
	structs := map[string][]field{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			base := d.Name()
			if rel != "." && (strings.HasPrefix(base, ".") || base == "internal" || base == "examples" ||
				base == "testdata" || base == "redisstore") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkg := f.Name.Name
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if st, ok := ts.Type.(*ast.StructType); ok && ts.Name.IsExported() {
					structs[pkg+"."+ts.Name.Name] = structFields(pkg, st)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A field is personal by its name and a text type, or by a personal type; a struct
	// with a personal field is a personal type itself, to the fixed point.
	found := map[string][]string{}
	personal := slices.Clone(personalTypes)
	for changed := true; changed; {
		changed = false
		for name, fields := range structs {
			if _, done := found[name]; done {
				continue
			}
			var why []string
			for _, f := range fields {
				if _, ok := notPersonal[name+"."+f.name]; ok {
					continue
				}
				if slices.Contains(personal, f.typ) ||
					slices.Contains(personalFields, f.name) && slices.Contains(textTypes, f.typ) {
					why = append(why, f.name)
				}
			}
			if len(why) > 0 {
				found[name] = why
				personal = append(personal, name)
				changed = true
			}
		}
	}
	return found
}

type field struct{ name, typ string }

// structFields lists the exported fields of st with their types spelled as pkg.Type (or
// string, []string, []byte).
func structFields(pkg string, st *ast.StructType) []field {
	var out []field
	for _, f := range st.Fields.List {
		typ := typeName(pkg, f.Type)
		if len(f.Names) == 0 { // embedded
			out = append(out, field{typ[strings.LastIndex(typ, ".")+1:], typ})
		}
		for _, n := range f.Names {
			if n.IsExported() {
				out = append(out, field{n.Name, typ})
			}
		}
	}
	return out
}

// typeName spells a field's type as pkg.Type, dereferencing pointers and slices.
func typeName(pkg string, e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return typeName(pkg, e.X)
	case *ast.ArrayType:
		if id, ok := e.Elt.(*ast.Ident); ok && (id.Name == "string" || id.Name == "byte") {
			return "[]" + id.Name
		}
		return typeName(pkg, e.Elt)
	case *ast.MapType:
		return typeName(pkg, e.Value)
	case *ast.Ident:
		if e.Name == "string" {
			return "string"
		}
		if ast.IsExported(e.Name) {
			return pkg + "." + e.Name
		}
		return e.Name
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			return x.Name + "." + e.Sel.Name
		}
	}
	return ""
}

func TestScanFindsKnownTypes(t *testing.T) {
	got := scanTypes(t)
	for _, want := range []string{"verify.Claim", "verify.Record", "qrtoken.Claims"} {
		if _, ok := got[want]; !ok {
			t.Errorf("scan missed %s; found %d types", want, len(got))
		}
	}
}
