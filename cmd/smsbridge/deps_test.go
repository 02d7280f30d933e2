package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// forbidden are packages that must never ship in the deployed binary: the
// vendor fakes, the validation and routing libraries they bring, the browser
// driver of the console's test, and the sandbox itself.
var forbidden = []string{
	"/streamhook/streamtest",
	"/twiliohook/twiliotest",
	"github.com/getkin/kin-openapi",
	"github.com/chromedp/",
	"github.com/gorilla/mux",
	"github.com/smsbridge/smsbridge/internal/dev",
	"github.com/smsbridge/smsbridge/internal/streamclient",
	"github.com/coder/websocket",
	// Only package deploy's tests use these, to render the manifests.
	"sigs.k8s.io/kustomize/",
	"k8s.io/api/",
	"github.com/compose-spec/compose-go",
}

// imageBuild is the Dockerfile's `go build` of the binary the image ships.
var imageBuild = regexp.MustCompile(`go build ([^\n]*)-o /out/smsbridge \./cmd/smsbridge`)

// imageTags returns the -tags of the image's build, read from the Dockerfile
// so this test follows it.
func imageTags(t *testing.T) string {
	t.Helper()
	df, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := imageBuild.FindSubmatch(df)
	if m == nil {
		t.Fatal("the Dockerfile has no `go build ... -o /out/smsbridge ./cmd/smsbridge`: update this test with it")
	}
	if tags := regexp.MustCompile(`-tags[ =]"?([^" ]*)`).FindSubmatch(m[1]); tags != nil {
		return string(tags[1])
	}
	return ""
}

func deps(t *testing.T, tags string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-tags="+tags, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	return strings.Fields(string(out))
}

func TestTheDeployedBinaryLinksNoFakeAndNoSandbox(t *testing.T) {
	for _, pkg := range deps(t, imageTags(t)) {
		for _, f := range forbidden {
			if strings.Contains(pkg, f) {
				t.Errorf("the image's binary links %s", pkg)
			}
		}
	}
}

func TestTheSandboxBuildLinksTheSimulators(t *testing.T) {
	// Keeps the test above honest: the same check finds them when they are there.
	found := map[string]bool{}
	for _, pkg := range deps(t, "sandbox") {
		for _, f := range forbidden {
			if strings.Contains(pkg, f) {
				found[f] = true
			}
		}
	}
	for _, f := range []string{"/streamhook/streamtest", "/twiliohook/twiliotest", "github.com/getkin/kin-openapi", "github.com/smsbridge/smsbridge/internal/dev",
		"github.com/smsbridge/smsbridge/internal/streamclient", "github.com/coder/websocket"} {
		if !found[f] {
			t.Errorf("the sandbox build does not link %s: is the forbidden list still right?", f)
		}
	}
}

// bridgeMayImport are the smsbridge and third-party packages the domain may
// use: pure rules only (docs/architecture.md).
var bridgeMayImport = map[string]bool{
	"github.com/nyaruka/phonenumbers":                   true,
	"github.com/smsbridge/smsbridge/internal/deadlines": true,
	"github.com/smsbridge/smsbridge/internal/priority":  true,
	"github.com/smsbridge/smsbridge/internal/wait":      true,
}

func TestBridgeImportsOnlyTheStandardLibraryAndPureRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "../../bridge").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		standard := !strings.Contains(strings.SplitN(pkg, "/", 2)[0], ".")
		if !standard && !bridgeMayImport[pkg] {
			t.Errorf("bridge imports %s", pkg)
		}
	}
}
