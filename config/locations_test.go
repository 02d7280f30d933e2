package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
)

// twoSites is the example: north and south, front_desk at both.
const twoSites = `locations:
  - id: north
    name: North Street Clinic
    numbers: ["+12015550100"]
    messaging_service_sid: MG00000000000000000000000000000001
    time_zone: America/New_York
    quiet_hours: "20:00-08:00"
    admins: [front_desk]
  - id: south
    name: South Avenue Clinic
    numbers: ["+12015550101", "whatsapp:+12015550102"]
    admins: [dr_lee, Front Desk]
`

func locationsFile(t *testing.T, body string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "locations.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LOCATIONS_FILE", path)
}

func TestWithoutALocationsFileThereIsOneDefaultLocationOfTheSenderSettings(t *testing.T) {
	setValid(t)
	t.Setenv("TWILIO_MESSAGING_SERVICE_SID", "MG00000000000000000000000000000009")
	t.Setenv("QUIET_HOURS", "21:00-08:00")
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Locations) != 1 || c.LocationsFile != "" {
		t.Fatalf("locations = %+v (file %q), want one", c.Locations, c.LocationsFile)
	}
	l := c.Locations[0]
	if l.ID != "default" || l.Name != "default" || len(l.Numbers) != 1 || l.Numbers[0] != "+12015550100" ||
		l.MessagingServiceSID != "MG00000000000000000000000000000009" || l.Admins != nil || l.QuietHours != c.QuietHours {
		t.Errorf("default location = %+v", l)
	}
	if got := c.LocationsOf("dr_lee"); len(got) != 1 {
		t.Errorf("dr_lee works at %d locations, want the default one", len(got))
	}
}

func TestALocationsFileGivesEachSiteItsSendersAdminsAndHours(t *testing.T) {
	setValid(t)
	t.Setenv("TWILIO_FROM_NUMBER", "")
	t.Setenv("QUIET_HOURS", "22:00-07:00")
	locationsFile(t, twoSites)
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Locations) != 2 || c.LocationsFile == "" {
		t.Fatalf("locations = %+v", c.Locations)
	}
	north, south := c.Locations[0], c.Locations[1]
	if north.ID != "north" || north.Name != "North Street Clinic" || north.MessagingServiceSID == "" ||
		strings.Join(north.Admins, ",") != "front_desk" {
		t.Errorf("north = %+v", north)
	}
	if strings.Join(south.Numbers, ",") != "+12015550101,whatsapp:+12015550102" ||
		strings.Join(south.Admins, ",") != "dr_lee,front_desk" {
		t.Errorf("south = %+v, want its two senders and normalised admins", south)
	}
	if got := c.LocationsOf("dr_lee"); len(got) != 1 || got[0].ID != "south" {
		t.Errorf("dr_lee works at %+v, want south only", got)
	}
	if got := c.LocationsOf("front_desk"); len(got) != 2 {
		t.Errorf("front_desk works at %d locations, want both", len(got))
	}
	// North has its own window (20:00-08:00); south falls back to
	// QUIET_HOURS (22:00-07:00). A London patient, at 02:00 and 08:00 there:
	at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	patient := mustPhone(t, "+442079460123")
	if _, quiet := north.QuietHours.NextAllowed(patient, at); !quiet {
		t.Error("north's quiet hours are not its own window")
	}
	if _, quiet := north.QuietHours.NextAllowed(patient, at.Add(5*time.Hour+30*time.Minute)); !quiet {
		t.Error("north is not quiet at 07:30 in London, want its own 20:00-08:00")
	}
	if _, quiet := south.QuietHours.NextAllowed(patient, at.Add(5*time.Hour+30*time.Minute)); quiet {
		t.Error("south is quiet at 07:30 in London, want QUIET_HOURS (22:00-07:00)")
	}
}

func TestEveryLocationsFileErrorNamesTheVariableTheLocationAndTheField(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"a missing file", "", "LOCATIONS_FILE (the file does not exist)"},
		{"not YAML", "locations: [\n", "LOCATIONS_FILE (line 2 column 1"},
		{"a misspelt key", "locations:\n  - id: north\n    number: [\"+12015550100\"]\n", "LOCATIONS_FILE (line 3: unknown key number"},
		{"no locations", "locations: []\n", "LOCATIONS_FILE (no locations"},
		{"a bad id", "locations:\n  - id: North St\n    numbers: [\"+12015550100\"]\n",
			"LOCATIONS_FILE (locations[0]: id is not 1-32 characters"},
		{"a repeated id", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n  - id: north\n    numbers: [\"+12015550101\"]\n",
			"LOCATIONS_FILE (locations[1]: id repeats the id of locations[0])"},
		{"a number listed twice", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n  - id: south\n    numbers: [\"+12015550100\"]\n",
			"LOCATIONS_FILE (location south: numbers[0] is also a sender of location north)"},
		{"a number not in E.164", "locations:\n  - id: north\n    numbers: [\"201-555-0100\"]\n",
			"LOCATIONS_FILE (location north: numbers[0] is not an E.164 number"},
		{"neither numbers nor a service", "locations:\n  - id: north\n    name: North\n",
			"LOCATIONS_FILE (location north: has neither numbers nor messaging_service_sid)"},
		{"an admin not in ADMIN_USERS", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n    admins: [nobody]\n",
			"LOCATIONS_FILE (location north: admins[0] is not in ADMIN_USERS)"},
		{"a bad zone", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n    time_zone: Mars/Olympus\n",
			"LOCATIONS_FILE (location north: time_zone is not an IANA time zone"},
		{"a bad window", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n    quiet_hours: late\n",
			"LOCATIONS_FILE (location north: quiet_hours:"},
		{"a service that is no service", "locations:\n  - id: north\n    messaging_service_sid: PN1\n",
			"LOCATIONS_FILE (location north: messaging_service_sid must start with MG)"},
		{"TWILIO_FROM_NUMBER in no location", "locations:\n  - id: north\n    numbers: [\"+12015550101\"]\n",
			"TWILIO_FROM_NUMBER (not a number of any location in LOCATIONS_FILE)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			setValid(t) // TWILIO_FROM_NUMBER=+12015550100
			if tc.file == "" {
				t.Setenv("LOCATIONS_FILE", filepath.Join(t.TempDir(), "nope.yaml"))
			} else {
				locationsFile(t, tc.file)
			}
			_, err := config.Load()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "201-555-0100") || strings.Contains(err.Error(), "Mars") {
				t.Errorf("the error quotes a value: %v", err)
			}
		})
	}
}

func TestALocationsFileMakesTheSenderSettingsOptional(t *testing.T) {
	setValid(t)
	t.Setenv("TWILIO_FROM_NUMBER", "")
	locationsFile(t, "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n")
	if _, err := config.Load(); err != nil {
		t.Fatalf("Load = %v, want no sender settings needed beside the file", err)
	}
}

func mustPhone(t *testing.T, s string) bridge.Phone {
	t.Helper()
	p, err := bridge.ParsePhone(s, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
