package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// The last status callback of a reply arrives while Stream's message
// window stays closed past the callback's whole budget (and so past
// Twilio's redelivery). The replica that got it holds it in Redis and dies;
// the other replica writes it once the window opens, with no reconcile.
func TestTheLastStatusHeldPastAStreamWindowEndsOnTheMessage(t *testing.T) {
	rs := redistest.Start(t)
	h := startWithPatient(t, withRedis(rs))
	dying, stop := h.launch(true, withRedis(rs))
	const id = "reply-held-status"
	h.write(adminReply(id, "Your prescription is ready"))
	if r := send(h.messageNew(h.urls[0], id, 1)); r.status != http.StatusOK {
		t.Fatalf("relay answered %d %s", r.status, r.body)
	}
	sid := waitForSid(t, h, 1)
	if r := send(h.callback(dying, id, sid, "sent")); r.status != http.StatusOK {
		t.Fatalf("sent callback answered %d %s", r.status, r.body)
	}
	// Stream's window for message updates closes for 14 s: longer than the
	// callback's 12 s budget, so the write cannot wait for it.
	h.stream.FailNext(streamtest.OpUpdateMessagePartial, 1, streamtest.Fault{Status: http.StatusTooManyRequests, ResetIn: 14 * time.Second})
	if r := send(h.callback(dying, id, sid, "delivered")); r.status != http.StatusOK {
		t.Fatalf("the held callback answered %d %s, want 200 (kept, not dropped)", r.status, r.body)
	}
	if m, _ := h.stream.Message(id); m.Custom["sms_status"] == "delivered" {
		t.Fatal("delivered was written through a closed window")
	}
	if err := stop(); err != nil {
		t.Fatalf("the replica holding the status stopped with %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := h.stream.Message(id); m.Custom["sms_status"] == "delivered" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	m, _ := h.stream.Message(id)
	t.Fatalf("the message ends %v 30 s later, want delivered (the held status applied by the other replica)", m.Custom)
}
