package config

import (
	"strings"

	"github.com/smsbridge/smsbridge/internal/quiethours"
	"github.com/smsbridge/smsbridge/internal/templates"
)

// reminders reads the reminder settings: REMINDER_TEMPLATES (the file is
// read and checked now, so a bad one stops start-up), QUIET_HOURS and
// QUIET_HOURS_TZ.
func (e env) reminders(c *Config, bad *problems) {
	var err error
	if c.Templates, err = templates.Load(strings.TrimSpace(e.ReminderTemplates)); err != nil {
		bad.add("REMINDER_TEMPLATES", err.Error())
	}
	c.QuietHours = quietHours(e.QuietHours, e.QuietHoursTZ, bad)
}

// quietHours reads QUIET_HOURS and QUIET_HOURS_TZ; the zone is checked
// even while quiet hours are off, so a typo shows before it matters.
func quietHours(window, zone string, bad *problems) *quiethours.Hours {
	window, zone = strings.TrimSpace(window), strings.TrimSpace(zone)
	_, zoneErr := quiethours.Zone(zone)
	if zoneErr != nil {
		bad.add("QUIET_HOURS_TZ", zoneErr.Error())
	}
	if window == "" {
		return nil
	}
	if _, err := quiethours.ParseWindow(window); err != nil {
		bad.add("QUIET_HOURS", err.Error())
		return nil
	}
	if zoneErr != nil {
		return nil
	}
	h, _ := quiethours.New(window, zone) // both parts checked above
	return h
}
