package quiethours_test

import (
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/quiethours"
)

func phone(t *testing.T, s string) bridge.Phone {
	t.Helper()
	p, err := bridge.ParsePhone(s, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestQuietHoursFollowEachZonesWallClockAcrossDaylightSavingChanges(t *testing.T) {
	night, err := quiethours.New("20:00-08:00", "America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	const (
		newYork  = "+1 201-555-0142"  // America/New_York
		london   = "+44 20 7946 0123" // Europe/London
		idaho    = "+1 208-555-0123"  // America/Boise and America/Los_Angeles
		tollFree = "+1 800-555-0123"  // every zone from Guam to Samoa
		// libphonenumber's example Iridium number: a valid number of no zone.
		satellite = "+881 6 1234 5678"
	)
	for _, tc := range []struct {
		name, number, at string
		wantQuiet        bool
		wantNext         string
	}{
		{"a New York afternoon is allowed", newYork, "2030-05-06T18:00:00Z", false, "2030-05-06T18:00:00Z"},
		{"22:00 in New York is quiet until 08:00 there", newYork, "2030-05-07T02:00:00Z", true, "2030-05-07T12:00:00Z"},
		{"20:00 sharp is quiet", newYork, "2030-05-07T00:00:00Z", true, "2030-05-07T12:00:00Z"},
		{"07:59 is quiet until the next minute", newYork, "2030-05-07T11:59:00Z", true, "2030-05-07T12:00:00Z"},
		{"08:00 sharp is allowed", newYork, "2030-05-07T12:00:00Z", false, "2030-05-07T12:00:00Z"},
		{"the night New York springs forward ends at 08:00 EDT, after 9 hours", newYork, "2030-03-10T03:00:00Z", true, "2030-03-10T12:00:00Z"},
		{"the night New York falls back ends at 08:00 EST, after 11 hours", newYork, "2030-11-03T02:00:00Z", true, "2030-11-03T13:00:00Z"},
		{"the night London springs forward ends at 08:00 BST", london, "2030-03-30T21:00:00Z", true, "2030-03-31T07:00:00Z"},
		{"the night London falls back ends at 08:00 GMT", london, "2030-10-26T20:00:00Z", true, "2030-10-27T08:00:00Z"},
		{"11:00 in London is allowed", london, "2030-05-07T10:00:00Z", false, "2030-05-07T10:00:00Z"},
		{"the same instant is 06:00 and quiet in New York", newYork, "2030-05-07T10:00:00Z", true, "2030-05-07T12:00:00Z"},
		{"07:30 in Los Angeles is quiet though it is 08:30 in Boise", idaho, "2030-05-07T14:30:00Z", true, "2030-05-07T15:00:00Z"},
		{"19:30 in Los Angeles is quiet because it is 20:30 in Boise", idaho, "2030-05-08T02:30:00Z", true, "2030-05-08T15:00:00Z"},
		{"a toll-free number is quiet until it is day from Guam to Samoa", tollFree, "2030-05-07T03:00:00Z", true, "2030-05-07T22:00:00Z"},
		{"a number of no zone is quiet at night in QUIET_HOURS_TZ", satellite, "2030-05-07T03:00:00Z", true, "2030-05-07T13:00:00Z"},
		{"and allowed by day in QUIET_HOURS_TZ", satellite, "2030-05-07T15:00:00Z", false, "2030-05-07T15:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, quiet := night.NextAllowed(phone(t, tc.number), utc(tc.at))
			if quiet != tc.wantQuiet || !next.Equal(utc(tc.wantNext)) {
				t.Errorf("NextAllowed = %v, %v; want %s, %v", next.UTC(), quiet, tc.wantNext, tc.wantQuiet)
			}
		})
	}
}

func TestAWindowWithinOneDayAndNoWindowAtAll(t *testing.T) {
	lunch, err := quiethours.New("12:00-13:00", "")
	if err != nil {
		t.Fatal(err)
	}
	ny := phone(t, "+1 201-555-0142")
	if next, quiet := lunch.NextAllowed(ny, utc("2030-05-07T16:30:00Z")); !quiet || !next.Equal(utc("2030-05-07T17:00:00Z")) {
		t.Errorf("12:30 at lunch: %v %v", next, quiet)
	}
	if _, quiet := lunch.NextAllowed(ny, utc("2030-05-08T01:00:00Z")); quiet {
		t.Errorf("21:00 is quiet with a lunch window")
	}
	off, err := quiethours.New("", "")
	if err != nil || off != nil {
		t.Fatalf("empty QUIET_HOURS: %v %v", off, err)
	}
	if _, quiet := off.NextAllowed(ny, utc("2030-05-07T02:00:00Z")); quiet {
		t.Errorf("quiet hours that are off refuse a time")
	}
}

func TestBadQuietHoursSettingsAreRefusedWithWhatTheyShouldLookLike(t *testing.T) {
	for _, tc := range []struct{ name, window, zone string }{
		{"a 12-hour clock", "8pm-8am", ""},
		{"no dash", "20:00", ""},
		{"hour 24", "24:00-08:00", ""},
		{"an empty window", "20:00-20:00", ""},
		{"a zone that is not IANA", "20:00-08:00", "EST5EDT-ish"},
		{"the host's Local zone", "20:00-08:00", "Local"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if h, err := quiethours.New(tc.window, tc.zone); err == nil {
				t.Errorf("New(%q, %q) = %v, want an error", tc.window, tc.zone, h)
			}
		})
	}
}

func TestZonesThatLeaveNoAllowedTimeAreQuietWithNoNextTime(t *testing.T) {
	long, err := quiethours.New("10:00-08:00", "") // 22 quiet hours a day
	if err != nil {
		t.Fatal(err)
	}
	// A toll-free number spans 21 hours of offsets: no two hours are day everywhere.
	next, quiet := long.NextAllowed(phone(t, "+1 800-555-0123"), utc("2030-05-07T03:00:00Z"))
	if !quiet || !next.IsZero() {
		t.Errorf("NextAllowed = %v, %v; want quiet with no next time", next, quiet)
	}
}
