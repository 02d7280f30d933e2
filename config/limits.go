package config

import (
	"strconv"
	"strings"
)

// Rate is a per-admin allowance of the dashboard API: PerMinute on average,
// Burst at once after a quiet spell (docs/security.md).
type Rate struct {
	PerMinute int
	Burst     int
}

// maxRate bounds the per-admin settings: past it a limit protects nothing.
const maxRate = 100_000

// limits reads REMINDERS_PER_MINUTE, REMINDER_BURST, PREVIEWS_PER_MINUTE and
// PREVIEW_BURST.
func (e env) limits(c *Config, bad *problems) {
	c.ReminderRate = Rate{
		PerMinute: count("REMINDERS_PER_MINUTE", e.RemindersPerMinute, bad),
		Burst:     count("REMINDER_BURST", e.ReminderBurst, bad),
	}
	c.PreviewRate = Rate{
		PerMinute: count("PREVIEWS_PER_MINUTE", e.PreviewsPerMinute, bad),
		Burst:     count("PREVIEW_BURST", e.PreviewBurst, bad),
	}
}

// count reads a whole number from 1 to maxRate.
func count(name, s string, bad *problems) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > maxRate {
		bad.add(name, "not a whole number from 1 to "+strconv.Itoa(maxRate))
		return 0
	}
	return n
}
