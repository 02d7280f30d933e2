package doctor

import (
	"os"
	"strings"
	"testing"
)

// allIDs are the check ids, which scripts may rely on.
var allIDs = []string{IDNumberExists, IDNumberSmsURL, IDNumberMethod, IDNumberFallback, IDServiceInbound, IDServiceFallback, IDWhatsAppWebhook, IDNumberUnlisted,
	IDStreamWebhook, IDStreamAuthChecks, IDStreamChannelType, IDStreamAdmins,
	IDPublicURL, IDAdminHashes, IDAdminLocations, IDCORS, IDTrustedProxies, IDProbeTwilio, IDProbeStream, IDRedisEviction}

func TestEveryCheckIDIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/doctor.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range allIDs {
		if !strings.Contains(string(doc), "| `"+id+"` |") {
			t.Errorf("docs/doctor.md has no row for %s", id)
		}
	}
}

func TestURLsFromAConsoleAreShownWithoutTheirQuery(t *testing.T) {
	if got := shown("https://user:pw@old.example/sms?token=secret#rc=1"); got != "https://old.example/sms#rc=1" {
		t.Errorf("shown = %q", got)
	}
}
