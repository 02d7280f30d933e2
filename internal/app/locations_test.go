package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

// testHash is "correct horse" at bcrypt cost 10.
const testHash = "$2a$10$TLN1Z4WJJ7LTUiqEO5Mvm.9Pg4eI.lQiAswmDbDyJ7pgPiP646lu6"

func twoLocations(t *testing.T) config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "locations.yaml")
	file := "locations:\n" +
		"  - id: north\n    numbers: [\"+12015550100\"]\n    messaging_service_sid: MG00000000000000000000000000000001\n" +
		"  - id: south\n    numbers: [\"+12015550101\", \"whatsapp:+12015550102\"]\n    admins: [front_desk]\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"STREAM_API_KEY": "key", "STREAM_API_SECRET": "stream-secret-value",
		"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001", "TWILIO_AUTH_TOKEN": "twilio-token-value",
		"TWILIO_FROM_NUMBER": "", "PUBLIC_URL": "https://bridge.example.org",
		"ADMIN_USERS": "front_desk:" + testHash, "LOCATIONS_FILE": path,
	} {
		t.Setenv(k, v)
	}
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestReconcileCoversEveryNumberAndServiceOfEveryLocation(t *testing.T) {
	s := clinicSenders(twoLocations(t))
	if got := strings.Join(s.Numbers, ","); got != "+12015550100,+12015550101,whatsapp:+12015550102" {
		t.Errorf("numbers = %s, want every location's", got)
	}
	if got := strings.Join(s.Services, ","); got != "MG00000000000000000000000000000001" {
		t.Errorf("services = %s, want north's", got)
	}
}

func TestTheDoctorChecksEveryLocationsNumbersAndAdmins(t *testing.T) {
	s := DoctorSettings(twoLocations(t))
	if !s.LocationsFile || len(s.Locations) != 2 {
		t.Fatalf("doctor settings = %+v, want the file's two locations", s)
	}
	south := s.Locations[1]
	if south.ID != "south" || strings.Join(south.Numbers, ",") != "+12015550101" || strings.Join(south.Admins, ",") != "front_desk" {
		t.Errorf("south = %+v, want its SMS number (the WhatsApp sender has its own check) and its admin", south)
	}
}

func TestWithoutADefaultSenderTheFirstLocationsSenderIsTheDefault(t *testing.T) {
	o := twilioOptions(twoLocations(t), nil)
	if o.From != "+12015550100" || o.MessagingServiceSID != "MG00000000000000000000000000000001" {
		t.Errorf("default sender = %s / %s, want north's number and service", o.From, o.MessagingServiceSID)
	}
}
