package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/quiethours"
	"github.com/smsbridge/smsbridge/internal/yamlfile"
)

// Location is one clinic site: its senders, its admins and its reminder
// hours (docs/locations.md).
type Location struct {
	ID   string
	Name string // shown to admins
	// Numbers are the location's clinic senders, E.164 or whatsapp:+E164.
	Numbers []string
	// MessagingServiceSID is the location's Messaging Service (MG...), or
	// empty; its scheduled reminders need one.
	MessagingServiceSID string
	// QuietHours are the location's window and zone: its own quiet_hours
	// and time_zone, else QUIET_HOURS and QUIET_HOURS_TZ. Nil: none.
	QuietHours *quiethours.Hours
	// Admins are the normalised ids of who works here; nil: every admin.
	Admins []string
}

// HasAdmin reports whether the admin works at l.
func (l Location) HasAdmin(id string) bool {
	if l.Admins == nil {
		return true
	}
	for _, a := range l.Admins {
		if a == id {
			return true
		}
	}
	return false
}

// LocationsOf returns the locations the admin works at, in the file's order.
func (c Config) LocationsOf(adminID string) []Location {
	var out []Location
	for _, l := range c.Locations {
		if l.HasAdmin(adminID) {
			out = append(out, l)
		}
	}
	return out
}

// DefaultLocationID is the id and name of the one location a bridge without
// LOCATIONS_FILE has.
const DefaultLocationID = "default"

// MaxLocations bounds the file, and with it the metrics' location label.
const MaxLocations = 100

var locationID = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

// locationsFile is LOCATIONS_FILE's shape.
type locationsFile struct {
	Locations []locationEntry `yaml:"locations"`
}

type locationEntry struct {
	ID                  string   `yaml:"id"`
	Name                string   `yaml:"name"`
	Numbers             []string `yaml:"numbers"`
	MessagingServiceSID string   `yaml:"messaging_service_sid"`
	TimeZone            string   `yaml:"time_zone"`
	QuietHours          string   `yaml:"quiet_hours"`
	Admins              []string `yaml:"admins"`
}

const locationKeys = "locations is a list of id, name, numbers, messaging_service_sid, time_zone, quiet_hours and admins"

// locations reads LOCATIONS_FILE, or makes the default location of
// TWILIO_FROM_NUMBER and TWILIO_MESSAGING_SERVICE_SID. It runs after the
// admins and quiet hours are read. Every problem is one LOCATIONS_FILE
// entry naming the location (or locations[N] when its id is the problem)
// and the field, never a value.
func (e env) locations(c *Config, bad *problems) {
	c.LocationsFile = strings.TrimSpace(e.LocationsFile)
	if c.LocationsFile == "" {
		var numbers []string
		if c.TwilioFromNumber != "" {
			numbers = []string{c.TwilioFromNumber}
		}
		c.Locations = []Location{{ID: DefaultLocationID, Name: DefaultLocationID, Numbers: numbers,
			MessagingServiceSID: c.TwilioMessagingServiceSID, QuietHours: c.QuietHours}}
		return
	}
	var f locationsFile
	if err := yamlfile.Read(c.LocationsFile, &f, locationKeys); err != nil {
		bad.add("LOCATIONS_FILE", err.Error())
		return
	}
	if len(f.Locations) == 0 {
		bad.add("LOCATIONS_FILE", "no locations: the file needs `locations:` with at least one id and its numbers")
		return
	}
	if len(f.Locations) > MaxLocations {
		bad.add("LOCATIONS_FILE", fmt.Sprintf("more than %d locations", MaxLocations))
		return
	}
	r := locationReader{c: c, e: e, bad: bad, ids: map[string]int{}, senders: map[string]string{}}
	for i, raw := range f.Locations {
		if l, ok := r.read(i, raw); ok {
			c.Locations = append(c.Locations, l)
		}
	}
	r.checkDefaults()
}

// locationReader checks one file's locations against each other and the
// rest of the configuration.
type locationReader struct {
	c       *Config
	e       env
	bad     *problems
	ids     map[string]int    // id -> index
	senders map[string]string // number or service -> location id
}

func (r *locationReader) add(where, reason string) {
	r.bad.add("LOCATIONS_FILE", where+": "+reason)
}

func (r *locationReader) read(i int, raw locationEntry) (Location, bool) {
	at := fmt.Sprintf("locations[%d]", i)
	id := strings.TrimSpace(raw.ID)
	if !locationID.MatchString(id) {
		r.add(at, "id is not 1-32 characters of a-z, 0-9 and -")
		return Location{}, false
	}
	if j, seen := r.ids[id]; seen {
		r.add(at, fmt.Sprintf("id repeats the id of locations[%d]", j))
		return Location{}, false
	}
	r.ids[id] = i
	before := len(*r.bad)
	where := "location " + id
	l := Location{ID: id, Name: strings.TrimSpace(raw.Name), MessagingServiceSID: strings.TrimSpace(raw.MessagingServiceSID)}
	if l.Name == "" {
		l.Name = id
	}
	for k, n := range raw.Numbers {
		n = strings.TrimSpace(n)
		if !e164(n) && !whatsAppSender(n) {
			r.add(where, fmt.Sprintf("numbers[%d] is not an E.164 number such as +12015550100, or whatsapp:+12015550100", k))
			continue
		}
		r.sender(where, id, fmt.Sprintf("numbers[%d]", k), n)
		l.Numbers = append(l.Numbers, n)
	}
	if s := l.MessagingServiceSID; s != "" {
		if !strings.HasPrefix(s, "MG") {
			r.add(where, "messaging_service_sid must start with MG")
		} else {
			r.sender(where, id, "messaging_service_sid", s)
		}
	}
	if len(raw.Numbers) == 0 && l.MessagingServiceSID == "" {
		r.add(where, "has neither numbers nor messaging_service_sid")
	}
	l.QuietHours = r.quietHours(where, raw.QuietHours, raw.TimeZone)
	if raw.Admins != nil {
		l.Admins = []string{}
	}
	for k, a := range raw.Admins {
		a = bridge.NormalizeAdminID(a)
		if !r.isAdmin(a) {
			r.add(where, fmt.Sprintf("admins[%d] is not in ADMIN_USERS", k))
			continue
		}
		l.Admins = append(l.Admins, a)
	}
	return l, len(*r.bad) == before
}

// sender records that location id uses s, naming both locations when
// another already does.
func (r *locationReader) sender(where, id, field, s string) {
	if other, ok := r.senders[s]; ok {
		if other == id {
			r.add(where, field+" is listed twice")
		} else {
			r.add(where, field+" is also a sender of location "+other)
		}
		return
	}
	r.senders[s] = id
}

// quietHours is the location's window and zone, each falling back to
// QUIET_HOURS and QUIET_HOURS_TZ.
func (r *locationReader) quietHours(where, window, zone string) *quiethours.Hours {
	window, zone = strings.TrimSpace(window), strings.TrimSpace(zone)
	if zone == "" {
		zone = strings.TrimSpace(r.e.QuietHoursTZ)
	} else if _, err := quiethours.Zone(zone); err != nil {
		r.add(where, "time_zone is "+err.Error())
		return nil
	}
	if window == "" {
		window = strings.TrimSpace(r.e.QuietHours)
	} else if _, err := quiethours.ParseWindow(window); err != nil {
		r.add(where, "quiet_hours: "+err.Error())
		return nil
	}
	h, err := quiethours.New(window, zone)
	if err != nil {
		return nil // QUIET_HOURS or QUIET_HOURS_TZ is bad, and named already
	}
	return h
}

func (r *locationReader) isAdmin(id string) bool {
	for _, a := range r.c.Admins {
		if a.ID == id {
			return true
		}
	}
	return false
}

// checkDefaults: with a file, TWILIO_FROM_NUMBER and
// TWILIO_MESSAGING_SERVICE_SID are optional, and each, when set, must be a
// sender of some location.
func (r *locationReader) checkDefaults() {
	if n := r.c.TwilioFromNumber; n != "" && e164(n) && r.senders[n] == "" {
		r.bad.add("TWILIO_FROM_NUMBER", "not a number of any location in LOCATIONS_FILE")
	}
	if s := r.c.TwilioMessagingServiceSID; strings.HasPrefix(s, "MG") && r.senders[s] == "" {
		r.bad.add("TWILIO_MESSAGING_SERVICE_SID", "not the Messaging Service of any location in LOCATIONS_FILE")
	}
}
