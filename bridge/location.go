package bridge

import (
	"slices"
	"strings"
)

// Location is one site of the clinic (LOCATIONS_FILE, docs/locations.md):
// its own clinic senders, admins and quiet hours. A conversation is a
// (patient, location) pair; a patient who texts two sites has two channels
// and stays one chat user.
type Location struct {
	ID, Name string
	// Numbers are the location's clinic senders as Twilio writes them:
	// E.164, or whatsapp:+E164.
	Numbers []string
	// MessagingServiceSID is the location's Messaging Service (MG...), which
	// its scheduled reminders go through; empty: none, so none can be
	// scheduled.
	MessagingServiceSID string
	QuietHours          QuietHours // nil: none
	// Admins are the admin ids who work here: the members of its channels.
	Admins []string
}

// Channel fields every conversation carries (docs/contract.md §3).
const (
	FieldLocation = "sms_location" // the location's id
	// FieldClinicNumber is the clinic sender this conversation uses: the
	// number the patient last wrote to, which replies leave from.
	FieldClinicNumber = "sms_clinic_number"
)

// MaxChannelID is the longest channel id Stream takes.
const MaxChannelID = 64

// locationSeparator joins a sender's id and a location's in a channel id;
// sender ids never hold it (address.go).
const locationSeparator = "-"

// Locations are the clinic's sites, in the order of LOCATIONS_FILE. The
// first one is the primary: its conversations keep the ids a clinic with one
// location has always had, so adding a site renames no channel.
type Locations []Location

// DefaultLocationID is the id of the one location of a bridge without
// LOCATIONS_FILE.
const DefaultLocationID = "default"

// Find returns the location with id.
func (ls Locations) Find(id string) (Location, bool) {
	for _, l := range ls {
		if l.ID == id {
			return l, true
		}
	}
	return Location{}, false
}

// Route picks the location an inbound message belongs to: the one listing
// to (the number the patient texted), else the one whose Messaging Service
// delivered it. listed is false when neither names a location: the message
// then goes to the first location (nothing is lost) and the caller reports
// the gap. An empty to (no clinic number known) is the first location's.
func (ls Locations) Route(to, serviceSID string) (loc Location, listed bool) {
	if len(ls) == 0 {
		return Location{ID: DefaultLocationID, Name: DefaultLocationID}, to == ""
	}
	if to == "" {
		return ls[0], true
	}
	for _, l := range ls {
		if slices.ContainsFunc(l.Numbers, func(n string) bool { return strings.EqualFold(n, to) }) {
			return l, true
		}
	}
	if serviceSID != "" {
		for _, l := range ls {
			if l.MessagingServiceSID == serviceSID {
				return l, true
			}
		}
	}
	return ls[0], false
}

// ChannelID is the id of the conversation between sender and the location
// locationID (docs/contract.md §3): the sender's own id in the first
// location (and without locations), else that id, "-" and the location id.
// A sender id too long for that is shortened in the middle, keeping its
// prefix and its closing hash, so the id stays within Stream's 64 characters
// and apart from every other.
func (ls Locations) ChannelID(locationID string, sender Phone) string {
	base := sender.ChannelID()
	if base == "" || len(ls) == 0 || ls[0].ID == locationID {
		return base
	}
	suffix := locationSeparator + locationID
	if room := MaxChannelID - len(suffix); len(base) > room {
		tail := tokenHash + 1 // "_" and the hash
		base = base[:room-tail] + base[len(base)-tail:]
	}
	return base + suffix
}

// FirstNumber is the location's first sender of the medium of to (a
// whatsapp: sender for a WhatsApp address, else an SMS number); empty when it
// lists none.
func (l Location) FirstNumber(medium string) string {
	for _, n := range l.Numbers {
		if MediumOf(n) == medium {
			return n
		}
	}
	return ""
}

// senders counts the location's senders of medium.
func (l Location) senders(medium string) int {
	n := 0
	for _, s := range l.Numbers {
		if MediumOf(s) == medium {
			n++
		}
	}
	return n
}

// WorksHere reports whether admin works at the location.
func (l Location) WorksHere(admin string) bool { return slices.Contains(l.Admins, admin) }

// Of returns the locations admin works at, in order.
func (ls Locations) Of(admin string) Locations {
	var out Locations
	for _, l := range ls {
		if l.WorksHere(admin) {
			out = append(out, l)
		}
	}
	return out
}
