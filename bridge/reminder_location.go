package bridge

import (
	"fmt"
	"strings"
)

// reminderSite is the location a reminder is sent for, with what follows
// from it: the channel, the senders, scheduling and quiet hours.
type reminderSite struct {
	loc          Location
	named        bool // the clinic has locations of its own: refusals name this one
	channelID    string
	canSchedule  bool
	quiet        QuietHours
	whatsAppFrom string
}

// site resolves the reminder's location (docs/locations.md): the one it
// names, else the author's only one, or else the first of theirs. A
// location no one configured is 400 unknown_location; one the author does
// not work at, or none at all, is 403 location_forbidden.
func (r *Reminders) site(rem Reminder) (reminderSite, error) {
	if len(r.Locations) == 0 {
		loc := Location{ID: DefaultLocationID, Name: DefaultLocationID, Admins: r.Admins, QuietHours: r.QuietHours}
		return reminderSite{loc: loc, channelID: rem.To.ChannelID(), canSchedule: r.CanSchedule,
			quiet: r.QuietHours, whatsAppFrom: r.WhatsAppFrom}, nil
	}
	loc, err := r.Locations.For(rem.AdminID, rem.Location)
	if err != nil {
		return reminderSite{}, err
	}
	s := reminderSite{loc: loc, named: len(r.Locations) > 1 || loc.ID != DefaultLocationID,
		channelID: r.Locations.ChannelID(loc.ID, rem.To), canSchedule: loc.MessagingServiceSID != "",
		quiet: loc.QuietHours, whatsAppFrom: loc.FirstNumber(MediumWhatsApp)}
	if s.whatsAppFrom == "" {
		s.whatsAppFrom = r.WhatsAppFrom
	}
	return s, nil
}

// For is the location an admin acts for: the one with id, or with no id the
// admin's only location, or else the first of theirs.
func (ls Locations) For(admin, id string) (Location, error) {
	if id == "" {
		mine := ls.Of(admin)
		if len(mine) == 0 {
			return Location{}, Errorf(ErrForbidden, "location_forbidden", "You work at no location, so you cannot send reminders.")
		}
		return mine[0], nil
	}
	loc, ok := ls.Find(id)
	switch {
	case !ok:
		return Location{}, Errorf(ErrInvalid, "unknown_location", "There is no location %q.", id)
	case !loc.WorksHere(admin):
		return Location{}, Errorf(ErrForbidden, "location_forbidden", "You do not work at %s.", loc.Name)
	}
	return loc, nil
}

// sender is the reminder's From and Messaging Service: a scheduled reminder
// goes through the location's service (Twilio schedules only those); an
// immediate one leaves from the location's first number (a WhatsApp one from
// the conversation's clinic sender, else the location's). Empty values
// leave the choice to the provider's configured defaults (no locations).
func (s reminderSite) sender(rem Reminder, state ChannelState) (from, service string) {
	if !rem.SendAt.IsZero() {
		return "", s.loc.MessagingServiceSID
	}
	if IsWhatsApp(rem.To.Raw()) {
		if state.ClinicNumber != "" {
			return state.ClinicNumber, s.loc.MessagingServiceSID
		}
		return s.whatsAppFrom, s.loc.MessagingServiceSID
	}
	return s.loc.FirstNumber(MediumSMS), s.loc.MessagingServiceSID
}

// noScheduling is 400 scheduling_unavailable; format has one %s, where the
// setting to set goes: the location's, when the clinic has locations.
func (s reminderSite) noScheduling(format string) error {
	setting := "TWILIO_MESSAGING_SERVICE_SID"
	if s.named {
		setting = fmt.Sprintf("messaging_service_sid of location %s in LOCATIONS_FILE", s.loc.ID)
	}
	msg := fmt.Sprintf(format, setting)
	if s.named {
		msg = strings.Replace(msg, "Scheduled reminders", "Scheduled reminders from "+s.loc.Name, 1)
	}
	return Errorf(ErrInvalid, "scheduling_unavailable", "%s", msg)
}
