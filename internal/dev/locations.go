package dev

import (
	"os"

	"github.com/smsbridge/smsbridge/bridge"
)

// clinic is one of the sandbox's clinic numbers and the location it
// belongs to, as the console's phone offers them.
type clinic struct {
	Number   string `json:"number"`
	Label    string `json:"label"`
	Location string `json:"location"`
	Name     string `json:"name"`
}

// clinics are the sandbox's two locations' numbers, in LOCATIONS_FILE's
// order: north first, so it keeps the patient-digits channel ids.
var clinics = []clinic{
	{Number: clinicNumber, Location: "north", Name: "North Street Clinic"},
	{Number: southNumber, Location: "south", Name: "South Avenue Clinic"},
}

// sandboxLocations is the LOCATIONS_FILE the sandbox's bridge reads: two
// locations, the Messaging Service north's, the admin working both.
var sandboxLocations = []byte(`locations:
  - id: north
    name: North Street Clinic
    numbers: ["` + clinicNumber + `"]
    messaging_service_sid: ` + messagingService + `
    admins: [` + adminID + `]
  - id: south
    name: South Avenue Clinic
    numbers: ["` + southNumber + `"]
    admins: [` + adminID + `]
`)

// withLocations writes sandboxLocations to a temporary file and names it
// in env, unless the person set LOCATIONS_FILE themselves.
func withLocations(env map[string]string) (remove func(), err error) {
	if os.Getenv("LOCATIONS_FILE") != "" {
		return func() {}, nil
	}
	f, err := os.CreateTemp("", "smsbridge-sandbox-locations-*.yaml")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Write(sandboxLocations); err != nil {
		_ = os.Remove(f.Name())
		return nil, err
	}
	env["LOCATIONS_FILE"] = f.Name()
	return func() { _ = os.Remove(f.Name()) }, nil
}

// clinicFor is the clinic number a console text goes to: to, when it is
// one of the sandbox's, or the first when empty.
func clinicFor(to string) (clinic, error) {
	if to == "" {
		return clinics[0], nil
	}
	for _, c := range clinics {
		if c.Number == to {
			return c, nil
		}
	}
	return clinic{}, bridge.Errorf(bridge.ErrInvalid, "unknown_clinic", "That is not one of the sandbox's clinic numbers.")
}

// consoleLocations are the clinics' locations as the bridge names their
// channels (bridge.Locations.ChannelID needs only the ids and their order).
var consoleLocations = bridge.Locations{{ID: clinics[0].Location}, {ID: clinics[1].Location}}
