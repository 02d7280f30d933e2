package bridge_test

import (
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestOptOutChange(t *testing.T) {
	tests := []struct {
		name, body, optOutType string
		optedOut, changed      bool
	}{
		{"STOP opts out", "STOP", "", true, true},
		{"keywords ignore case and spaces", "  unsubscribe\n", "", true, true},
		{"a trailing full stop still counts", "Stop.", "", true, true},
		{"every carrier keyword opts out", "OPTOUT", "", true, true},
		{"START opts back in", "start", "", false, true},
		{"YES opts back in", "YES", "", false, true},
		{"a sentence containing stop is a message", "please stop by at 3", "", false, false},
		{"Twilio's OptOutType wins over the body", "arrêt", "STOP", true, true},
		{"OptOutType START opts in", "", "START", false, true},
		{"HELP changes nothing", "HELP", "HELP", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			optedOut, changed := bridge.OptOutChange(tc.body, tc.optOutType)
			if optedOut != tc.optedOut || changed != tc.changed {
				t.Errorf("OptOutChange(%q, %q) = %v, %v; want %v, %v", tc.body, tc.optOutType, optedOut, changed, tc.optedOut, tc.changed)
			}
		})
	}
}
