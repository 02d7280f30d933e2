package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// The quota figures of quota_test.go, at the second of two sites: a
// location adds no Stream call to any lifecycle. As in quota_test.go, no
// Messaging Service (whose "accepted" status is one more write).
const twoSitesNoServiceFile = `locations:
  - id: north
    name: North Street Clinic
    numbers: ["+12015550100"]
    admins: [front_desk]
  - id: south
    name: South Avenue Clinic
    numbers: ["+12015550101"]
    admins: [south_desk, front_desk]
`

func startTwoSitesNoService(t *testing.T) *apiHarness {
	t.Helper()
	return startAPI(t, withSites(t, twoSitesNoServiceFile)...)
}

func TestWithTwoSitesInboundSMSStillCostsOneStreamCallOnceThePatientIsKnown(t *testing.T) {
	a := startTwoSitesNoService(t)
	a.textTo(southNumber, "Hi, this is the patient")
	first := streamCalls(a.harness)
	if n := total(first, streamtest.OpUpsertUsers, streamtest.OpQueryChannel, streamtest.OpSendMessage,
		streamtest.OpUpdateChannelPartial, streamtest.OpGetMessage, streamtest.OpUpdateMessagePartial); n > 4 {
		t.Errorf("first contact made %d Stream calls %v, want at most 4", n, first)
	}
	a.stream.ResetCalls()
	a.textTo(southNumber, "Running ten minutes late")
	if got := streamCalls(a.harness); fmt.Sprint(got) != fmt.Sprint(map[string]int{streamtest.OpSendMessage: 1}) {
		t.Errorf("steady state made Stream calls %v, want exactly one send_message", got)
	}
}

func TestWithTwoSitesAnAdminReplysLifecycleStaysWithinItsStreamCalls(t *testing.T) {
	a := startTwoSitesNoService(t)
	a.textTo(southNumber, "Hi, this is the patient")
	a.stream.ResetCalls()
	a.write(reply{ID: "reply-1", ChannelID: southChannel, Author: "south_desk", Text: "Lab results are ready"})
	assertEmptyOK(t, a.deliver("reply-1", 1))
	sid := a.twilio.Messages()[0].Sid
	a.callbacks(sid, "queued", "sent", "delivered")
	got := streamCalls(a.harness)
	if stored, _ := a.stream.Message("reply-1"); stored.Custom["sms_status"] != "delivered" {
		t.Errorf("status = %v, want delivered", stored.Custom["sms_status"])
	}
	checkReplyCalls(t, got)
}

func TestWithTwoSitesAReminderToAKnownPatientStaysWithinItsStreamCalls(t *testing.T) {
	a := startTwoSitesNoService(t)
	token := a.token("south_desk")
	body := map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Reminder: your appointment is tomorrow at 10:00."}
	if r := a.remind(token, body); r.Status != http.StatusOK {
		t.Fatalf("first reminder: %d %s", r.Status, r.Body)
	}
	a.stream.ResetCalls()
	r := a.remind(token, map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Reminder: bring your insurance card."})
	if r.Status != http.StatusOK {
		t.Fatalf("reminder: %d %s", r.Status, r.Body)
	}
	sent := a.twilio.MessagesTo(reminderPatient)
	last := sent[len(sent)-1]
	mid := midOf(t, last.StatusCallback)
	a.callbacks(last.Sid, "queued", "sent", "delivered")
	got := streamCalls(a.harness)
	checkReminderCalls(t, got)
	if stored, _ := a.stream.Message(mid); stored.ChannelID != "12015550142-south" || stored.Custom["sms_status"] != "delivered" {
		t.Errorf("reminder in %q status %v, want the south channel, delivered", stored.ChannelID, stored.Custom["sms_status"])
	}
}
