package command

import (
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const waSender = "whatsapp:+12015550100"

func TestTheDoctorChecksTheWhatsAppSendersWebhook(t *testing.T) {
	tests := []struct {
		name   string
		sender *twiliotest.WhatsAppSender
		want   string // the start of the check's line
		says   string
	}{
		{"a sender calling the bridge passes", &twiliotest.WhatsAppSender{SenderID: waSender, CallbackURL: inbound}, "ok", "sends messages to"},
		{"a sender calling elsewhere fails", &twiliotest.WhatsAppSender{SenderID: waSender, CallbackURL: "https://old.example.org/wa"},
			"FAIL", "never arrive"},
		{"a sender without the retry fragment warns", &twiliotest.WhatsAppSender{SenderID: waSender, CallbackURL: public + "/receive-sms"},
			"warn", "retry fragment"},
		{"a sender calling with PUT fails", &twiliotest.WhatsAppSender{SenderID: waSender, CallbackURL: inbound, CallbackMethod: "PUT"},
			"FAIL", "only POST"},
		{"a sender the account lacks fails", nil, "FAIL", "not a sender of this Twilio account"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			t.Setenv("TWILIO_WHATSAPP_FROM", waSender)
			if tc.sender != nil {
				f.tw.AddWhatsAppSender(*tc.sender)
			}
			_, out := runDoctor(t)
			l := line(out, "twilio.whatsapp.webhook")
			if !strings.HasPrefix(strings.TrimSpace(l), tc.want) || !strings.Contains(l, tc.says) {
				t.Errorf("line = %q, want %s saying %q\n%s", l, tc.want, tc.says, out)
			}
		})
	}
}

func TestWithoutAWhatsAppSenderThereIsNoWhatsAppCheck(t *testing.T) {
	newFixture(t)
	if _, out := runDoctor(t); line(out, "twilio.whatsapp.webhook") != "" {
		t.Errorf("a WhatsApp check ran without TWILIO_WHATSAPP_FROM:\n%s", out)
	}
}

func TestAMessagingServiceThatOverridesItsSendersCoversWhatsApp(t *testing.T) {
	f := newFixture(t)
	f.tw.AddService(twiliotest.MessagingService{Sid: service, InboundRequestURL: inbound, Numbers: []string{clinic}})
	t.Setenv("TWILIO_MESSAGING_SERVICE_SID", service)
	t.Setenv("TWILIO_WHATSAPP_FROM", waSender)
	_, out := runDoctor(t)
	if l := line(out, "twilio.whatsapp.webhook"); !strings.HasPrefix(strings.TrimSpace(l), "ok") || !strings.Contains(l, "Messaging Service") {
		t.Errorf("line = %q\n%s", l, out)
	}
}
