package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// The two sites: north (+12015550100, front_desk) and south
// (+12015550101, south_desk and front_desk). North has no Messaging
// Service, south has one.
const (
	northNumber     = clinicNumber
	southNumber     = "+12015550101"
	unlistedNumber  = "+12015550109"
	southService    = "MG00000000000000000000000000000a11"
	southChannel    = "12015550123-south"
	northChannel    = "12015550123"
	twoSitesLocFile = `locations:
  - id: north
    name: North Street Clinic
    numbers: ["+12015550100"]
    admins: [front_desk]
  - id: south
    name: South Avenue Clinic
    numbers: ["+12015550101"]
    messaging_service_sid: ` + southService + `
    admins: [south_desk, front_desk]
`
)

// withTwoSites writes the locations file and lets front_desk, south_desk
// and dr_lee (whom no location lists) log in with apiPassword.
func withTwoSites(t *testing.T) []option {
	t.Helper()
	return withSites(t, twoSitesLocFile)
}

// withSites is withTwoSites with another file.
func withSites(t *testing.T, file string) []option {
	t.Helper()
	path := filepath.Join(t.TempDir(), "locations.yaml")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	return []option{withEnv("LOCATIONS_FILE", path),
		withEnv("ADMIN_USERS", "front_desk:"+apiAdminHash+",south_desk:"+apiAdminHash+",dr_lee:"+apiAdminHash)}
}

// startTwoSites is an API harness with the two sites.
func startTwoSites(t *testing.T, opts ...option) *apiHarness {
	t.Helper()
	return startAPI(t, append(withTwoSites(t), opts...)...)
}

// textTo delivers an SMS from the patient to the clinic number to.
func (h *harness) textTo(to, body string) string {
	h.t.Helper()
	sid := twiliotest.NewMessageSid()
	assertTwiMLOK(h.t, h.receiveSMS(sms{Sid: sid, From: patient, Body: body, Extra: url.Values{"To": {to}}}))
	return sid
}

// channel is the fake Stream's channel id of the SMS type, or a failure.
func (h *harness) channel(id string) streamtest.Channel {
	h.t.Helper()
	ch, ok := h.stream.Channel("sms", id)
	if !ok {
		h.t.Fatalf("no channel %s", id)
	}
	return ch
}
