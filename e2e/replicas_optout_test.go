package e2e

import (
	"net/http"
	"testing"

	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Each replica keeps the channels it reads (the opt-out check) for a while;
// a STOP on the other replica must still stop its very next reply.
func TestAStopOnOneReplicaStopsTheNextReplyOnTheOther(t *testing.T) {
	h := twoReplicas(t, redistest.Start(t)).harness
	h.write(adminReply("reply-before-stop", "Your results are ready"))
	if r := send(h.messageNew(h.urls[1], "reply-before-stop", 1)); r.status != http.StatusOK {
		t.Fatalf("first reply answered %d %s", r.status, r.body)
	}
	if n := len(h.twilio.MessagesTo(patient)); n != 1 {
		t.Fatalf("%d SMS before the STOP, want 1", n)
	}
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "STOP"}, 0))
	h.write(adminReply("reply-after-stop", "Please call us back"))
	if r := send(h.messageNew(h.urls[1], "reply-after-stop", 1)); r.status != http.StatusOK {
		t.Fatalf("reply after the STOP answered %d %s", r.status, r.body)
	}
	if n := len(h.twilio.MessagesTo(patient)); n != 1 {
		t.Errorf("%d SMS after the patient's STOP on the other replica, want still 1", n)
	}
	m, _ := h.stream.Message("reply-after-stop")
	if m.Custom["sms_status"] != "failed" || m.Custom["sms_error_code"] != "opted_out" {
		t.Errorf("the refused reply is marked %v, want failed with opted_out", m.Custom)
	}
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "START"}, 0))
	h.write(adminReply("reply-after-start", "Welcome back"))
	if r := send(h.messageNew(h.urls[1], "reply-after-start", 1)); r.status != http.StatusOK {
		t.Fatalf("reply after START answered %d %s", r.status, r.body)
	}
	if n := len(h.twilio.MessagesTo(patient)); n != 2 {
		t.Errorf("%d SMS after START on the other replica, want 2", n)
	}
}
