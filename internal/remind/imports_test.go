package remind

import (
	"go/build"
	"strings"
	"testing"
)

// The command holds no vendor code: app wires the adapters (package doc).
func TestTheCommandImportsNoVendorAdapter(t *testing.T) {
	bp, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(bp.Imports) == 0 {
		t.Fatal("no imports read: the check is broken")
	}
	for _, imp := range bp.Imports {
		if strings.Contains(imp, "/streamhook") || strings.Contains(imp, "/twiliohook") {
			t.Errorf("remind imports %s", imp)
		}
	}
}
