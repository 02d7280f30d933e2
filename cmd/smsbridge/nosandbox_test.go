//go:build !sandbox

package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// The deployed build has no sandbox: dev and help dev say how to get one.
// (In the sandbox build, dev_test.go runs the sandbox itself.)

func TestDevInTheDeployedBuildSaysHowToRunTheSandbox(t *testing.T) {
	var stderr bytes.Buffer
	cmd := child(t, "dev")
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 {
		t.Fatalf("exit = %v, want code 2", err)
	}
	if !strings.Contains(stderr.String(), sandboxCommand) {
		t.Errorf("stderr = %q, want the command that runs the sandbox", stderr.String())
	}
}

func TestHelpDevInTheDeployedBuildSaysHowToGetTheSandbox(t *testing.T) {
	out, err := child(t, "help dev").Output()
	if err != nil {
		t.Fatalf("help dev: %v", err)
	}
	if !strings.Contains(string(out), sandboxCommand) {
		t.Errorf("stdout = %q, want the command that runs the sandbox", out)
	}
}
