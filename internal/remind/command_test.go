package remind

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadFlagsExit2AndSayWhy(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "--csv FILE is required"},
		{"a pace of zero", []string{"--csv", "x.csv", "--per-minute", "0"}, "--per-minute must be between 1 and 6000"},
		{"a stray argument", []string{"--csv", "x.csv", "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(t.Context(), tt.args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 mentioning %q", code, stderr.String(), tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

func TestHelpPrintsTheFlagsAndExits0(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(t.Context(), []string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "-csv") ||
		!strings.Contains(stdout.String(), "-dry-run") {
		t.Errorf("exit %d, stdout %q; want 0 and the flags", code, stdout.String())
	}
}

// validEnv is a configuration that loads; nothing is called with it.
func validEnv(t *testing.T) {
	for k, v := range map[string]string{
		"STREAM_API_KEY": "key", "STREAM_API_SECRET": "stream-secret-value-0123456789",
		"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001", "TWILIO_AUTH_TOKEN": "remindtesttoken",
		"TWILIO_FROM_NUMBER": "+12015550100", "PUBLIC_URL": "https://bridge.example.org",
		"ADMIN_USERS":     "front_desk:$2a$10$TLN1Z4WJJ7LTUiqEO5Mvm.9Pg4eI.lQiAswmDbDyJ7pgPiP646lu6",
		"STREAM_BASE_URL": "http://127.0.0.1:1", "TWILIO_API_BASE_URL": "http://127.0.0.1:1",
	} {
		t.Setenv(k, v)
	}
}

func TestABadFileExits2NamingTheLineAndNothingIsCalled(t *testing.T) {
	validEnv(t)
	path := filepath.Join(t.TempDir(), "day.csv")
	if err := os.WriteFile(path, []byte("phoneNumber,messageText\n+12015550123,See you\n+12015550124\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), []string{"--csv", path}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "line 3: a different number of fields than the header") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if stdout.Len() != 0 || strings.Contains(stderr.String(), "2015550124") {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}

func TestAnUnknownAuthorExits2(t *testing.T) {
	validEnv(t)
	var stdout, stderr bytes.Buffer
	if code := Run(t.Context(), []string{"--csv", "x.csv", "--as", "Dr Who"}, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "--as names no admin") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestMissingConfigurationExits2WithoutPrintingSecrets(t *testing.T) {
	t.Setenv("STREAM_API_KEY", "")
	t.Setenv("TWILIO_AUTH_TOKEN", "remindtesttoken")
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), []string{"--csv", "x.csv"}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "STREAM_API_KEY") || strings.Contains(stderr.String(), "remindtesttoken") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestAFileThatCannotBeReadSaysWhy(t *testing.T) {
	validEnv(t)
	dir := t.TempDir()
	tests := []struct {
		name, path, want string
	}{
		{"a missing file", filepath.Join(dir, "monday.csv"), "cannot open the file: no such file or directory"},
		{"a directory", dir, "the file cannot be read: is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(t.Context(), []string{"--csv", tt.path}, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tt.path+": ") || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}
