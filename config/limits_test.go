package config_test

import (
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func TestEachAdminsAllowanceDefaultsTo60RemindersBurst20And600Previews(t *testing.T) {
	setValid(t)
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.ReminderRate != (config.Rate{PerMinute: 60, Burst: 20}) || c.PreviewRate != (config.Rate{PerMinute: 600, Burst: 60}) {
		t.Fatalf("reminders %+v, previews %+v", c.ReminderRate, c.PreviewRate)
	}
	t.Setenv("REMINDERS_PER_MINUTE", " 10 ")
	t.Setenv("REMINDER_BURST", "2")
	t.Setenv("PREVIEWS_PER_MINUTE", "120")
	t.Setenv("PREVIEW_BURST", "5")
	if c, err = config.Load(); err != nil || c.ReminderRate != (config.Rate{PerMinute: 10, Burst: 2}) ||
		c.PreviewRate != (config.Rate{PerMinute: 120, Burst: 5}) {
		t.Fatalf("set: reminders %+v, previews %+v, %v", c.ReminderRate, c.PreviewRate, err)
	}
}

func TestAnAllowanceThatIsNotAPositiveNumberStopsStartUp(t *testing.T) {
	for _, name := range []string{"REMINDERS_PER_MINUTE", "REMINDER_BURST", "PREVIEWS_PER_MINUTE", "PREVIEW_BURST"} {
		for _, v := range []string{"0", "-5", "lots", "1e9", ""} {
			setValid(t)
			t.Setenv(name, v)
			_, err := config.Load()
			if err == nil || !strings.Contains(err.Error(), name+" (not a whole number from 1 to 100000)") {
				t.Errorf("%s=%q: %v", name, v, err)
			}
		}
	}
}
