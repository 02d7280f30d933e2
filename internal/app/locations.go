package app

import (
	"slices"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
)

// locations are cfg's locations as the bridge takes them: every location's
// admins spelled out (none listed means every admin), and the WhatsApp
// sender counted among the first location's numbers when no location lists
// it, so its messages are not reported as unlisted.
func locations(cfg config.Config) bridge.Locations {
	locs := make(bridge.Locations, len(cfg.Locations))
	for i, l := range cfg.Locations {
		admins := l.Admins
		if admins == nil {
			admins = cfg.AdminIDs()
		}
		locs[i] = bridge.Location{ID: l.ID, Name: l.Name, Numbers: slices.Clone(l.Numbers),
			MessagingServiceSID: l.MessagingServiceSID, Admins: admins}
		if l.QuietHours != nil { // a nil interface, not one holding a nil pointer
			locs[i].QuietHours = l.QuietHours
		}
	}
	if w := cfg.TwilioWhatsAppFrom; w != "" && len(locs) > 0 && !listed(locs, w) {
		locs[0].Numbers = append(locs[0].Numbers, w)
	}
	return locs
}

func listed(locs bridge.Locations, number string) bool {
	for _, l := range locs {
		if slices.Contains(l.Numbers, number) {
			return true
		}
	}
	return false
}

// adminTeams maps each admin to the ids of the locations they work at:
// their Stream teams under STREAM_TEAMS.
func adminTeams(locs bridge.Locations) map[string][]string {
	teams := map[string][]string{}
	for _, l := range locs {
		for _, a := range l.Admins {
			teams[a] = append(teams[a], l.ID)
		}
	}
	return teams
}
