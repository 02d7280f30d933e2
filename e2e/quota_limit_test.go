package e2e

import (
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// What happens at Stream's limit (docs/quotas.md): nothing lost, nothing
// sent twice.

func TestAStatusCallbackTheBridgeCouldNotWriteIsHeldAndWritten(t *testing.T) {
	h := startWithPatient(t)
	_, log := h.network(300 * time.Millisecond)
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	// The reply is marked; Twilio's "sent" comes a step later and meets
	// Stream refusing the write twice. The bridge holds it (Statuses.Queue)
	// and writes it when Stream takes writes again: Twilio need not
	// redeliver, and its last callback cannot be lost.
	h.stream.FailNext(streamtest.OpUpdateMessagePartial, 2, streamtest.Fault{Status: 503})

	if !waitFor(t, 10*time.Second, func() bool {
		stored, _ := h.stream.Message("reply-1")
		return stored.Custom["sms_status"] == "delivered"
	}) {
		stored, _ := h.stream.Message("reply-1")
		t.Fatalf("status = %v, want delivered; callbacks %+v", stored.Custom["sms_status"], log.all())
	}
	for _, r := range log.all() {
		if r.Kind == "status" && r.HTTP != 200 {
			t.Errorf("the %s callback ended %d after %d attempts", r.Status, r.HTTP, r.Attempts)
		}
	}
	if n := len(h.twilio.Messages()); n != 1 {
		t.Errorf("Twilio holds %d messages, want 1", n)
	}
}
