package dev

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/smsbridge/smsbridge"

// moduleImports returns the module's packages that pkg imports, directly or
// not (tests excluded), read from the source with go/build.
func moduleImports(t *testing.T, root, pkg string) []string {
	t.Helper()
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		bp, err := build.ImportDir(filepath.Join(root, strings.TrimPrefix(p, module)), 0)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		for _, imp := range bp.Imports {
			if strings.HasPrefix(imp, module+"/") && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func TestServesWiringReachesNeitherTheSandboxNorTheSimulators(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{module + "/internal/app", module + "/config", module + "/bridge", module + "/internal/web"} {
		imports := moduleImports(t, root, pkg)
		if pkg == module+"/internal/app" && !slices.Contains(imports, module+"/streamhook") {
			t.Fatalf("app's imports %v lack streamhook: the walk is broken", imports)
		}
		for _, imp := range imports {
			if imp == module+"/internal/dev" || strings.HasSuffix(imp, "/streamtest") || strings.HasSuffix(imp, "/twiliotest") {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}

func TestOnlyTheCommandImportsTheSandbox(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case !d.IsDir():
			return nil
		case path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata"):
			return filepath.SkipDir
		}
		bp, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		rel, _ := filepath.Rel(root, path)
		if slices.Contains(bp.Imports, module+"/internal/dev") && rel != filepath.Join("cmd", "smsbridge") {
			t.Errorf("%s imports the sandbox; only cmd/smsbridge may", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
