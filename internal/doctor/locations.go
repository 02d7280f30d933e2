package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Check ids of the locations' senders and admins.
const (
	IDNumberUnlisted  = "twilio.number.unlisted"
	IDAdminLocations  = "bridge.admin_locations"
	servicePoolFix    = "Twilio console → Messaging → Services → the service → Sender Pool → Add Senders"
	locationsDocument = "docs/locations.md"
)

// senders are the numbers and services the locations' checks have seen.
type senders struct {
	numbers    map[string]bool // listed, or in a listed service's sender pool
	services   map[string]bool
	incomplete bool     // a service or its pool could not be read
	first      *Service // the first service the locations name, as read
}

// twilioChecks checks every location's senders: each Messaging Service and
// every number in its sender pool, and each listed number outside the
// pool; the WhatsApp sender; then the account's numbers that send texts
// to the bridge but are in no location.
func (d *Doctor) twilioChecks(ctx context.Context) []Result {
	var rs []Result
	seen := &senders{numbers: map[string]bool{}, services: map[string]bool{}}
	for _, loc := range d.Settings.Locations {
		rs = append(rs, d.named(loc, d.locationChecks(ctx, loc, seen))...)
	}
	// The first service (without LOCATIONS_FILE, TWILIO_MESSAGING_SERVICE_SID)
	// may cover the WhatsApp sender with its own inbound settings.
	rs = append(rs, d.whatsAppChecks(ctx, seen.first)...)
	return append(rs, d.unlistedChecks(ctx, seen)...)
}

// locationChecks checks one location's senders. A listed number in its
// service's pool is checked once, as the service's; when the service or
// its pool cannot be read, the listed numbers are not checked, since
// whether their own webhooks apply is unknown.
func (d *Doctor) locationChecks(ctx context.Context, loc Location, seen *senders) []Result {
	var rs []Result
	if sid := loc.ServiceSID; sid != "" && !seen.services[sid] {
		seen.services[sid] = true
		svc, srs := d.serviceCheck(ctx, sid)
		rs = srs
		if svc == nil {
			seen.incomplete = true
			return rs
		}
		if len(seen.services) == 1 {
			seen.first = svc
		}
		call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
		phones, err := d.Twilio.ServiceNumbers(call, svc.Sid)
		cancel()
		switch {
		case err != nil:
			seen.incomplete = true
			return append(rs, unreachable(IDNumberExists, "Twilio", err))
		case len(phones) == 0:
			rs = append(rs, problem(IDNumberExists, StatusFail, "the Messaging Service has no phone numbers in its sender pool", servicePoolFix))
		}
		for _, p := range phones {
			if !seen.numbers[p] {
				seen.numbers[p] = true
				rs = append(rs, d.numberChecks(ctx, p, svc.UseNumberWebhook)...)
			}
		}
	}
	for _, n := range loc.Numbers {
		if !seen.numbers[n] {
			seen.numbers[n] = true
			rs = append(rs, d.numberChecks(ctx, n, true)...)
		}
	}
	return rs
}

// named puts the location's id in front of what each result found, when
// the locations come from LOCATIONS_FILE.
func (d *Doctor) named(loc Location, rs []Result) []Result {
	if d.Settings.LocationsFile {
		for i := range rs {
			rs[i].Found = "location " + loc.ID + ": " + rs[i].Found
		}
	}
	return rs
}

// unlistedChecks names each account number whose webhook sends texts to
// the bridge but that no location lists: its texts are still stored, in
// the first location, which is seldom where they belong. Without
// LOCATIONS_FILE the check is listed only when it finds such a number.
func (d *Doctor) unlistedChecks(ctx context.Context, seen *senders) []Result {
	file := d.Settings.LocationsFile
	if seen.incomplete || len(d.Settings.Locations) == 0 {
		return nil // a pool is unknown: its numbers would be named wrongly
	}
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	numbers, err := d.Twilio.Numbers(call)
	cancel()
	if err != nil {
		if file {
			return []Result{unreachable(IDNumberUnlisted, "Twilio", err)}
		}
		return nil // the other checks already say Twilio cannot be read
	}
	var rs []Result
	for _, n := range numbers {
		if same, _ := urlIs(n.SmsURL, d.inboundURL()); same && !seen.numbers[n.Phone] {
			rs = append(rs, d.unlisted(n))
		}
	}
	if len(rs) == 0 && file {
		rs = append(rs, ok(IDNumberUnlisted, "every number of the account that sends texts to the bridge is in a location"))
	}
	return rs
}

func (d *Doctor) unlisted(n Number) Result {
	first := d.Settings.Locations[0].ID
	if !d.Settings.LocationsFile {
		return problem(IDNumberUnlisted, StatusWarn, fmt.Sprintf("%s (%s) sends texts to the bridge but is not TWILIO_FROM_NUMBER: "+
			"they are stored with the clinic's conversations and answered from that number", last2(n.Phone), n.Sid),
			"list each number in a location of LOCATIONS_FILE ("+locationsDocument+"), or point this one elsewhere: "+numberConsole)
	}
	return problem(IDNumberUnlisted, StatusWarn, fmt.Sprintf("%s (%s) sends texts to the bridge but is in no location: "+
		"they are stored in location %s, the first, and answered from that number", last2(n.Phone), n.Sid, first),
		"add it to the numbers of its location in LOCATIONS_FILE ("+locationsDocument+"), or point its webhook elsewhere: "+numberConsole)
}

// adminLocationsCheck: where every location lists its admins, an admin of
// ADMIN_USERS whom none lists can log in and reach no conversation. It is
// listed only with LOCATIONS_FILE.
func (d *Doctor) adminLocationsCheck() []Result {
	if !d.Settings.LocationsFile {
		return nil
	}
	listed := map[string]bool{}
	for _, loc := range d.Settings.Locations {
		if loc.Admins == nil {
			return []Result{ok(IDAdminLocations, "location "+loc.ID+" lists no admins, so every admin works there")}
		}
		for _, a := range loc.Admins {
			listed[a] = true
		}
	}
	var nowhere []string
	for _, a := range d.Settings.Admins {
		if !listed[a.ID] && !slices.Contains(nowhere, a.ID) {
			nowhere = append(nowhere, a.ID)
		}
	}
	if len(nowhere) > 0 {
		return []Result{problem(IDAdminLocations, StatusWarn, "ADMIN_USERS entries no location lists: "+strings.Join(nowhere, ", ")+
			": they can log in and reach no conversation",
			"add each to the admins of the locations they work in (LOCATIONS_FILE), or remove them from ADMIN_USERS")}
	}
	return []Result{ok(IDAdminLocations, "every ADMIN_USERS entry works in a location")}
}
