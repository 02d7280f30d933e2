package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func waReply(id, text string) reply {
	return reply{ID: id, ChannelID: waChannel, Author: "front_desk", Text: text}
}

func TestAWhatsAppTextMakesAWhatsAppChannelWithTheProfileName(t *testing.T) {
	noLeaks(t)
	h := startWhatsApp(t)
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Can I come at 4 instead?"}))
	ch, ok := h.stream.Channel("sms", waChannel)
	if !ok {
		t.Fatalf("no WhatsApp channel %s", waChannel)
	}
	for k, want := range map[string]any{"name": waProfile, "sms_medium": "whatsapp", "sms_phone": "+12015550142",
		"sms_clinic_number": waClinic, "sms_address": waPatient, "sms_opted_out": false} {
		if ch.Custom[k] != want {
			t.Errorf("%s = %#v, want %#v", k, ch.Custom[k], want)
		}
	}
	if at := bridge.ParseLastInbound(ch.Custom["sms_last_inbound_at"]); time.Since(at) > time.Minute {
		t.Errorf("sms_last_inbound_at = %v", ch.Custom["sms_last_inbound_at"])
	}
	msgs := h.stream.Messages("sms", waChannel)
	if len(msgs) != 1 || msgs[0].UserID != "12015550142" || msgs[0].Text != "Can I come at 4 instead?" {
		t.Errorf("messages = %+v, want one by the patient's user 12015550142", msgs)
	}
	// An SMS from the same patient is another conversation, with the same user.
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: "+12015550142", Body: "also on SMS"}))
	sms, ok := h.stream.Channel("sms", "12015550142")
	if !ok || sms.Custom["sms_medium"] != "sms" || len(h.stream.Messages("sms", waChannel)) != 1 {
		t.Errorf("SMS channel %+v (ok %v): want its own, with sms_medium sms", sms.Custom, ok)
	}
}

func TestAReplyWithin24HoursGoesOutOnWhatsApp(t *testing.T) {
	noLeaks(t)
	h := startWhatsApp(t)
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Running late"}))
	h.setLastInbound(waChannel, time.Now().Add(-23*time.Hour))
	h.write(waReply("reply-1", "No problem, see you soon"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sent := h.twilio.MessagesTo(waPatient)
	if len(sent) != 1 || sent[0].From != waClinic || sent[0].Body != "No problem, see you soon" {
		t.Fatalf("sent %+v, want one from %s", sent, waClinic)
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_sid"] != sent[0].Sid {
		t.Errorf("marks = %v", stored.Custom)
	}
	// read follows delivered and never regresses.
	for _, st := range []string{"sent", "delivered", "read", "delivered"} {
		if r := h.statusCallback("reply-1", sent[0].Sid, st, 0); r.Status != http.StatusOK {
			t.Fatalf("%s: %d", st, r.Status)
		}
	}
	if stored, _ := h.stream.Message("reply-1"); stored.Custom["sms_status"] != "read" {
		t.Errorf("sms_status = %v, want read", stored.Custom["sms_status"])
	}
}

func TestAReplyAfter24HoursIsRefusedWithoutATwilioCall(t *testing.T) {
	noLeaks(t)
	h := startWhatsApp(t)
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Thanks for the reminder"}))
	h.setLastInbound(waChannel, time.Now().Add(-25*time.Hour))
	calls := h.twilio.Calls()
	h.write(waReply("reply-1", "Are you still coming on Tuesday?"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	if n := h.twilio.Calls() - calls; n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_status"] != "failed" || stored.Custom["sms_error_code"] != "whatsapp_window_closed" ||
		stored.Custom["sms_error"] != bridge.WhatsAppSentence(bridge.CodeWhatsAppWindowClosed) {
		t.Errorf("marks = %v", stored.Custom)
	}
}

func TestA63016CallbackSetsTheSameReason(t *testing.T) {
	h := startWhatsApp(t)
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Hello there clinic"}))
	h.write(waReply("reply-1", "Hello, how can we help?"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sent := h.twilio.MessagesTo(waPatient)
	if len(sent) != 1 {
		t.Fatalf("sent %d", len(sent))
	}
	// The window closed on Twilio's side meanwhile (clocks, a late send).
	if r := h.statusCallback("reply-1", sent[0].Sid, "failed", 63016); r.Status != http.StatusOK {
		t.Fatalf("callback: %d", r.Status)
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_error_code"] != "whatsapp_window_closed" ||
		stored.Custom["sms_error"] != bridge.WhatsAppSentence(bridge.CodeWhatsAppWindowClosed) {
		t.Errorf("marks = %v", stored.Custom)
	}
}

func TestSTOPOnWhatsAppBlocksTheNextReplyAndSTARTReopens(t *testing.T) {
	h := startWhatsApp(t)
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Hello there clinic"}))
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "STOP"}))
	ch, _ := h.stream.Channel("sms", waChannel)
	if ch.Custom["sms_opted_out"] != true {
		t.Fatalf("after STOP sms_opted_out = %v", ch.Custom["sms_opted_out"])
	}
	h.write(waReply("reply-1", "Sorry to see you go"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	if stored, _ := h.stream.Message("reply-1"); stored.Custom["sms_error_code"] != "opted_out" || len(h.twilio.MessagesTo(waPatient)) != 0 {
		t.Errorf("reply after STOP: marks %v, sent %d", stored.Custom, len(h.twilio.MessagesTo(waPatient)))
	}
	// Writing again is stored, and the patient stays opted out until START.
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "one more question"}))
	if n := len(h.stream.Messages("sms", waChannel)); n != 4 { // 3 from the patient, 1 reply
		t.Errorf("messages = %d, want 4", n)
	}
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "START"}))
	h.write(waReply("reply-2", "Welcome back to the clinic"))
	assertEmptyOK(t, h.deliver("reply-2", 1))
	if sent := h.twilio.MessagesTo(waPatient); len(sent) != 1 {
		t.Errorf("after START sent %d, want 1", len(sent))
	}
}

func TestReconcileRestoresAWhatsAppMessageIntoItsConversation(t *testing.T) {
	h := startWhatsApp(t)
	sent := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	sid := h.twilio.AddInbound(twiliotest.Message{From: waPatient, To: waClinic, Body: "Lost during the outage", DateCreated: sent})
	h.secret("12015550142", "Lost during the outage")
	s, run := h.reconcileJSON("--since", "3h")
	if run.Code != 0 || s.Restored != 1 {
		t.Fatalf("exit %d, summary %+v\n%s", run.Code, s, run.Stderr)
	}
	got, ok := h.stream.Message(bridge.InboundMessageID(sid))
	if !ok || got.ChannelID != waChannel || got.Text != "Lost during the outage" {
		t.Fatalf("restored %+v (ok %v), want it in %s", got, ok, waChannel)
	}
	ch, _ := h.stream.Channel("sms", waChannel)
	if ch.Custom["sms_medium"] != "whatsapp" || ch.Custom["sms_clinic_number"] != waClinic ||
		ch.Custom["sms_last_inbound_at"] != bridge.FormatLastInbound(sent) {
		t.Errorf("channel %v: want a WhatsApp conversation whose window starts at the message, not at the repair", ch.Custom)
	}
}

func TestAnImageOverWhatsAppsLimitIsRefusedBeforeTwilio(t *testing.T) {
	h := startWhatsApp(t)
	assertTwiMLOK(t, h.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Send me the scan please"}))
	r := waReply("reply-1", "Here is your scan")
	r.Attachments = []streamtest.Attachment{{Type: "image", ImageURL: "https://cdn.example.org/scan.png",
		MimeType: "image/png", Custom: map[string]any{"file_size": 6 << 20}}}
	calls := h.twilio.Calls()
	h.write(r)
	assertEmptyOK(t, h.deliver("reply-1", 1))
	stored, _ := h.stream.Message("reply-1")
	if h.twilio.Calls() != calls || stored.Custom["sms_error_code"] != "whatsapp_media_too_large" || stored.Custom["sms_status"] != "failed" {
		t.Errorf("Twilio calls %d, marks %v", h.twilio.Calls()-calls, stored.Custom)
	}
	// A 4 MB image goes.
	r.ID, r.Attachments[0].Custom = "reply-2", map[string]any{"file_size": 4 << 20}
	h.write(r)
	assertEmptyOK(t, h.deliver("reply-2", 1))
	if sent := h.twilio.MessagesTo(waPatient); len(sent) != 1 || len(sent[0].MediaURLs) != 1 {
		t.Errorf("sent %+v", sent)
	}
}
