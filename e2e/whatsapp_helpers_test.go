package e2e

import (
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// The clinic's WhatsApp sender and a patient on WhatsApp (fictional numbers).
const (
	waClinic    = "whatsapp:+12015550100"
	waPatient   = "whatsapp:+12015550142"
	waChannel   = "wa_12015550142"
	waProfile   = "Dana Quinlan"
	waContentID = "HX0123456789abcdef0123456789abcdef"
)

// startWhatsApp is a bridge with a WhatsApp sender.
func startWhatsApp(t *testing.T, opts ...option) *harness {
	t.Helper()
	return start(t, append([]option{withEnv("TWILIO_WHATSAPP_FROM", waClinic)}, opts...)...)
}

// receiveWhatsApp delivers a WhatsApp message from the patient, signed, as
// Twilio does, and registers its PHI (the address, the profile name).
func (h *harness) receiveWhatsApp(m twiliotest.WhatsAppMessage) response {
	h.t.Helper()
	if m.From == "" {
		m.From = waPatient
	}
	sid := twiliotest.NewMessageSid()
	h.twilio.SetLastInbound(m.From, time.Now())
	form := twiliotest.InboundWhatsApp(twilioSID, sid, waClinic, m)
	h.secret("12015550142", waProfile, "Dana", "Quinlan")
	if len(m.Body) >= 8 {
		h.secret(m.Body)
	}
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, h.urls[0], "/receive-sms", form)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(req)
}

// setLastInbound moves the conversation's window in the Stream fake, as if
// the patient's last message came at t: no test waits a day.
func (h *harness) setLastInbound(channelID string, t time.Time) {
	h.t.Helper()
	ch, ok := h.stream.Channel("sms", channelID)
	if !ok {
		h.t.Fatalf("no channel %s", channelID)
	}
	ch.Custom[bridge.FieldLastInboundAt] = bridge.FormatLastInbound(t)
	h.stream.PutChannel(ch)
	h.twilio.SetLastInbound(waPatient, t)
}
