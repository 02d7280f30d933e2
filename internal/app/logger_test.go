package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func TestConsoleLogsToAFileHaveNoColourCodes(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "smsbridge.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log := NewLogger(config.Config{LogFormat: "console", LogLevel: "info"}, f)
	log.Warn().Str("route", "/receive-sms").Msg("upstream slow")
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "upstream slow") {
		t.Fatalf("log = %q, want the message", got)
	}
	if strings.Contains(string(got), "\x1b[") {
		t.Errorf("log file = %q, want no ANSI colour codes", got)
	}
}
