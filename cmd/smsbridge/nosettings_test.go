package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

// A first try of any command with nothing set up ends the same way serve
// does: exit 2, the settings it lacks, and the hint that the sandbox needs
// no accounts (docs/contract.md §2).
func TestEveryCommandWithNoSettingsGivesServesHint(t *testing.T) {
	for _, args := range []string{"serve", "doctor", "reconcile --since 1h", "remind --csv rows.csv"} {
		t.Run(strings.Fields(args)[0], func(t *testing.T) {
			cmd := child(t, args)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitConfig {
				t.Fatalf("exit = %v, want %d\n%s", err, exitConfig, stderr.String())
			}
			out := stderr.String()
			if !strings.Contains(out, "STREAM_API_KEY") || !strings.Contains(out, config.Hint) {
				t.Errorf("stderr = %q, want the missing settings and serve's hint %q", out, config.Hint)
			}
		})
	}
}
