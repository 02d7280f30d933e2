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
	var numbers []string
	if cfg.TwilioFromNumber != "" {
		numbers = []string{cfg.TwilioFromNumber}
	}
	locs := bridge.Locations{{ID: bridge.DefaultLocationID, Name: bridge.DefaultLocationID, Numbers: numbers,
		MessagingServiceSID: cfg.TwilioMessagingServiceSID, QuietHours: quietHours(cfg), Admins: cfg.AdminIDs()}}
	if w := cfg.TwilioWhatsAppFrom; w != "" && !listed(locs, w) {
		locs[0].Numbers = append(slices.Clone(locs[0].Numbers), w)
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
