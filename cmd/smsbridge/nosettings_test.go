package main

import (
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
			out := configExit(t, child(t, args))
			if !strings.Contains(out, "STREAM_API_KEY") || !strings.Contains(out, config.Hint) {
				t.Errorf("stderr = %q, want the missing settings and serve's hint %q", out, config.Hint)
			}
		})
	}
}
