package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestTheVersionLineNamesTheCommitAndTheSandboxAndIsNeverBareDev(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.4.1"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "86f3975abcdef0123456789"}, {Key: "vcs.time", Value: "2026-12-07T06:18:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		name     string
		override string
		info     *debug.BuildInfo
		sandbox  bool
		want     string
	}{
		{"a build from a checkout shows the module version, commit and date", "", stamped, false,
			"smsbridge v0.4.1 (commit 86f3975abcde with local changes, 2026-12-07T06:18:00Z, go1.26.8)"},
		{"a sandbox build says so", "", stamped, true, "(sandbox build)"},
		{"-X main.version wins over the module version", "v1.0.0", stamped, false, "smsbridge v1.0.0 (commit"},
		{"a build without vcs says why there is no commit", "", &debug.BuildInfo{GoVersion: "go1.26.8"}, false,
			"smsbridge (devel) (no commit recorded"},
	} {
		got := formatVersion(tc.override, tc.info, tc.sandbox)
		if !strings.Contains(got, tc.want) || strings.Contains(got, " dev ") {
			t.Errorf("%s: %q, want it to contain %q", tc.name, got, tc.want)
		}
		if !tc.sandbox && strings.Contains(got, "sandbox") {
			t.Errorf("%s: %q mentions the sandbox", tc.name, got)
		}
	}
}

// TestABuildFromAGitCheckoutPrintsItsCommit clones this repository (a
// worktree's .git is a file, which the Go toolchain does not stamp) and
// builds it the README's way (without -trimpath, so only this module's packages compile again).
func TestABuildFromAGitCheckoutPrintsItsCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if testing.Short() {
		t.Skip("builds the binary in a fresh clone")
	}
	dir := t.TempDir()
	clone := filepath.Join(dir, "smsbridge")
	if out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+repoRoot(t), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	head, err := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "smsbridge-bin")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/smsbridge")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "commit " + string(head[:12]); !strings.Contains(string(out), want) || strings.Contains(string(out), "with local changes") {
		t.Errorf("version = %q, want %q of a clean checkout", out, want)
	}
}

// repoRoot is the repository's top directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	root := strings.TrimSpace(string(out))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return root
}
