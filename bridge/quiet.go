package bridge

import "time"

// QuietHours says when a patient may be texted (QUIET_HOURS);
// quiethours.Hours implements it. Declared here so the reminder rules stay
// in this package and the time zone data stays out of it.
type QuietHours interface {
	// NextAllowed reports whether at is inside quiet hours for to and, if
	// so, the first time after it that is not. A zero next means there is
	// none.
	NextAllowed(to Phone, at time.Time) (next time.Time, quiet bool)
}

// scheduleMargin keeps a reminder moved out of quiet hours clear of
// Twilio's 15-minute minimum, which Twilio measures when it receives the
// request, a moment after this clock read.
const scheduleMargin = time.Minute

// applyQuietHours refuses or moves a reminder that would reach the patient
// inside quiet hours, before anything is posted or sent:
//
//   - a sendAt inside them: 400 send_at_quiet_hours;
//   - a number whose zones leave no time outside them: 409 quiet_hours
//     without a time;
//   - an immediate reminder inside them: 409 quiet_hours, or, with
//     WhenAllowed, scheduled for the end of them (which needs scheduling,
//     like any sendAt, and at least Twilio's 15 minutes ahead).
//
// The refusals carry NextAllowedAt when there is such a time, so the
// dashboard can offer it.
func (r *Reminders) applyQuietHours(rem Reminder, site reminderSite) (Reminder, error) {
	if site.quiet == nil {
		return rem, nil
	}
	if !rem.SendAt.IsZero() {
		if next, quiet := site.quiet.NextAllowed(quietNumber(rem.To), rem.SendAt); quiet {
			return rem, quietError(ErrInvalid, "send_at_quiet_hours", next,
				"sendAt is inside the patient's quiet hours (QUIET_HOURS in their time zone); choose nextAllowedAt or later.")
		}
		return rem, nil
	}
	now := r.now()
	next, quiet := site.quiet.NextAllowed(quietNumber(rem.To), now)
	switch {
	case !quiet:
		return rem, nil
	case next.IsZero():
		return rem, quietError(ErrQuietHours, "quiet_hours", next,
			"The patient's number spans time zones that leave no time of day outside quiet hours (QUIET_HOURS), so nothing was sent.")
	case !rem.WhenAllowed:
		return rem, quietError(ErrQuietHours, "quiet_hours", next,
			"It is quiet hours for the patient (QUIET_HOURS in their time zone), so nothing was sent; "+
				"send it at nextAllowedAt, or with whenAllowed to have it scheduled for then.")
	case !site.canSchedule:
		return rem, site.noScheduling("It is quiet hours for the patient, and scheduling the reminder for later needs a Twilio Messaging Service (%s).")
	}
	if earliest := now.Add(MinScheduleAhead + scheduleMargin).Truncate(time.Minute); next.Before(earliest) {
		next = earliest
	}
	rem.SendAt = next
	return rem, nil
}

func quietError(kind error, code string, next time.Time, message string) error {
	return &Error{Kind: kind, Code: code, Message: message, NextAllowedAt: next.UTC()}
}
