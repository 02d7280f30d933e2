package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "templates.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReminderTemplatesAreLoadedFromTheNamedFile(t *testing.T) {
	setValid(t)
	t.Setenv("REMINDER_TEMPLATES", writeFile(t, "templates:\n  - name: appointment\n    text: See you on {date}\n"))
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Templates.List(); len(got) != 1 || got[0].Name != "appointment" {
		t.Errorf("templates = %+v", got)
	}
}

func TestABadReminderTemplatesFileNamesTheVariableAndTheProblem(t *testing.T) {
	for _, tc := range []struct{ name, path, want string }{
		{"a missing file", filepath.Join(os.TempDir(), "no-such-dir", "t.yaml"), "REMINDER_TEMPLATES (the file does not exist)"},
		{"a template without text", "templates:\n  - name: a\n", "REMINDER_TEMPLATES (template a has no text)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setValid(t)
			path := tc.path
			if !strings.HasPrefix(path, string(filepath.Separator)) {
				path = writeFile(t, tc.path)
			}
			t.Setenv("REMINDER_TEMPLATES", path)
			if _, err := config.Load(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestQuietHoursAreOffByDefaultAndCheckedWhenSet(t *testing.T) {
	setValid(t)
	if c, err := config.Load(); err != nil || c.QuietHours != nil {
		t.Fatalf("default: %v, %v; want off", c.QuietHours, err)
	}
	t.Setenv("QUIET_HOURS", "20:00-08:00")
	t.Setenv("QUIET_HOURS_TZ", "America/Chicago")
	if c, err := config.Load(); err != nil || c.QuietHours == nil {
		t.Fatalf("set: %v, %v", c.QuietHours, err)
	}
	t.Setenv("QUIET_HOURS", "8pm-8am")
	t.Setenv("QUIET_HOURS_TZ", "Mars/Olympus_Mons")
	_, err := config.Load()
	for _, want := range []string{"QUIET_HOURS (not a window such as 20:00-08:00", "QUIET_HOURS_TZ (not an IANA time zone"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load = %v, want %q", err, want)
		}
	}
}
