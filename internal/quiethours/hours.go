package quiethours

import (
	_ "time/tzdata" // zones without the host's zoneinfo (distroless images)

	"fmt"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/smsbridge/smsbridge/bridge"
)

// Hours are the configured quiet hours. A nil *Hours is off: no time is
// quiet.
type Hours struct {
	window   Window
	fallback *time.Location
}

var _ bridge.QuietHours = (*Hours)(nil)

// New returns the quiet hours of QUIET_HOURS (empty: off, nil) with
// QUIET_HOURS_TZ as the zone of numbers that give none (empty: UTC).
func New(window, fallbackZone string) (*Hours, error) {
	if window == "" {
		return nil, nil
	}
	w, err := ParseWindow(window)
	if err != nil {
		return nil, err
	}
	loc, err := Zone(fallbackZone)
	if err != nil {
		return nil, err
	}
	return &Hours{window: w, fallback: loc}, nil
}

// Zone loads an IANA zone name such as America/New_York; empty is UTC.
func Zone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("not an IANA time zone such as America/New_York")
	}
	return loc, nil
}

// search bounds the look for an allowed time: two days cover any window in
// any set of zones, or there is none.
const search = 48 * time.Hour

// NextAllowed reports whether at is inside quiet hours for to, and if so
// the first time after it that is outside them in every one of the
// number's zones (QUIET_HOURS_TZ for a number of none). A number whose
// zones leave no such time within two days (a window of 20 hours or more
// over zones far apart) is quiet with a zero next.
func (h *Hours) NextAllowed(to bridge.Phone, at time.Time) (next time.Time, quiet bool) {
	if h == nil {
		return at, false
	}
	next, ok := h.next(Zones(to), at)
	if !ok {
		return time.Time{}, true
	}
	return next, !next.Equal(at)
}

// next moves t past each zone's quiet stretch until no zone is quiet; ok is
// false when that takes longer than search.
func (h *Hours) next(zones []*time.Location, at time.Time) (time.Time, bool) {
	if len(zones) == 0 {
		zones = []*time.Location{h.fallback}
	}
	t := at
	for moved := true; moved; {
		moved = false
		for _, loc := range zones {
			if end, quiet := h.window.quietUntil(t, loc); quiet {
				t, moved = end, true
			}
		}
		if t.Sub(at) > search {
			return time.Time{}, false
		}
	}
	return t, true
}

// Zones returns the time zones of a number's region and prefix; none when
// phonenumbers does not know them.
func Zones(to bridge.Phone) []*time.Location {
	num, err := phonenumbers.Parse(to.Raw(), "ZZ")
	if err != nil {
		return nil
	}
	names, err := phonenumbers.GetTimezonesForNumber(num)
	if err != nil {
		return nil
	}
	var out []*time.Location
	for _, n := range names {
		if n == phonenumbers.UNKNOWN_TIMEZONE {
			continue
		}
		if loc, err := time.LoadLocation(n); err == nil {
			out = append(out, loc)
		}
	}
	return out
}
