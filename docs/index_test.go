package docs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTheIndexLinksEveryPageOfDocs(t *testing.T) {
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]bool{}
	for _, m := range link.FindAllStringSubmatch(string(src), -1) {
		linked[filepath.Clean(m[1])] = true
	}
	pages, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if p != "README.md" && !linked[p] {
			t.Errorf("docs/README.md, the index, does not link %s: add it where its readers look", p)
		}
	}
	for _, p := range []string{"../LICENSE", "../CHANGELOG.md", "../SECURITY.md", "../CONTRIBUTING.md"} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestTheREADMEStaysUnder14kB(t *testing.T) {
	fi, err := os.Stat("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= 14_000 {
		t.Errorf("README.md is %d bytes; keep it under 14 kB and move detail to docs/", fi.Size())
	}
}
