package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func writeEnvFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.env")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEnvFileReadsTheSyntaxComposeAndAShellShare(t *testing.T) {
	path := writeEnvFile(t, "\ufeff# a comment\n\nPORT=9090\nexport LOG_LEVEL = debug # why\n"+
		"ADMIN_USERS='front_desk:$2a$12$abc'\nQUIET_HOURS=\"20:00-08:00\" # evenings\nEMPTY=\nESC=\"a\\\"b\\\\c\\$d\"\n")
	got, err := config.ReadEnvFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"PORT", "9090"}, {"LOG_LEVEL", "debug"}, {"ADMIN_USERS", "front_desk:$2a$12$abc"},
		{"QUIET_HOURS", "20:00-08:00"}, {"EMPTY", ""}, {"ESC", `a"b\c$d`}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestEnvFileMistakesNameTheLineAndNeverTheValue(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"PORT=8080\nnot a setting\n", "line 2: not NAME=value"},
		{"STREAM_API_SECRET='hunter2-secret\n", "line 1 (STREAM_API_SECRET): the single quote is not closed"},
		{"STREAM_API_SECRET=\"hunter2-secret\n", "the double quote is not closed"},
		{"STREAM_API_SECRET='hunter2-secret' x\n", "text after the closing quote"},
	} {
		_, err := config.ReadEnvFile(writeEnvFile(t, tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: error %v, want %q and no value", tc.text, err, tc.want)
		}
	}
}

func TestAMissingEnvFileSaysWhy(t *testing.T) {
	_, err := config.LoadFile(filepath.Join(t.TempDir(), "absent.env"))
	if err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Fatalf("error = %v, want the reason", err)
	}
}

func TestTheEnvironmentWinsOverTheEnvFile(t *testing.T) {
	setValid(t)
	t.Setenv("LOG_LEVEL", "warn")
	t.Setenv("PORT", "")
	os.Unsetenv("PORT")
	path := writeEnvFile(t, "LOG_LEVEL=debug\nPORT=9191\n")
	cfg, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LogLevel != "warn" || cfg.Port != 9191 {
		t.Errorf("LOG_LEVEL %q PORT %d, want the environment's warn and the file's 9191", cfg.LogLevel, cfg.Port)
	}
}
