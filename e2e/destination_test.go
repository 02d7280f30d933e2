package e2e

import (
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Replies go only to real, opted-in numbers (docs/contract.md §4.2): the
// checks run before Twilio is asked, so a refusal costs no Twilio call.

func TestARefusedReplyIsMarkedFailedWithoutATwilioCall(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(h *harness) string // returns the channel the reply is written in
		wantCode string
	}{
		{"a patient who texted STOP", func(h *harness) string {
			assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "STOP"}))
			return "12015550123"
		}, "opted_out"},
		{"a channel made for a number that is not valid", func(h *harness) string { return "15555550123" }, "invalid_phone"},
		{"a channel made for a premium-rate number", func(h *harness) string { return "19005550123" }, "premium_rate"},
		{"a short code's channel", func(h *harness) string {
			assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: "72345", Body: "Your code is 1234"}))
			return bridge.SenderPhone("72345").ChannelID()
		}, "reply_not_possible"},
		{"an alphanumeric sender's channel", func(h *harness) string {
			assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: "MyPharmacy", Body: "Your prescription is ready"}))
			return bridge.SenderPhone("MyPharmacy").ChannelID()
		}, "reply_not_possible"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t)
			r := adminReply("reply-1", "Your results are in, call us")
			r.ChannelID = tc.setup(h)
			calls := h.twilio.Calls()
			h.write(r)
			assertEmptyOK(t, h.deliver("reply-1", 1))
			if n := h.twilio.Calls() - calls; n != 0 {
				t.Errorf("Twilio calls = %d, want 0", n)
			}
			stored, _ := h.stream.Message("reply-1")
			if stored.Custom["sms_status"] != "failed" || stored.Custom["sms_error_code"] != tc.wantCode || stored.Custom["sms_error"] == nil {
				t.Errorf("marks = %v, want failed with %s and a reason", stored.Custom, tc.wantCode)
			}
		})
	}
}

func TestAReplyGoesToTheNumberTheChannelRecords(t *testing.T) {
	h := start(t)
	h.stream.PutChannel(streamtest.Channel{Type: "sms", ID: "12015550123", CreatedBy: "front_desk",
		Members: []string{"front_desk"}, Custom: map[string]any{"sms_phone": "+12015550142", "sms_opted_out": false}})
	h.secret("12015550142")
	h.write(adminReply("reply-1", "Your results are in, call us"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	if sent := h.twilio.MessagesTo("+12015550142"); len(sent) != 1 {
		t.Errorf("SMS to the channel's sms_phone: %d, want 1 (all: %d)", len(sent), len(h.twilio.Messages()))
	}
}

func TestAReplyWhoseEventCarriesTheChannelsFieldsReadsNoChannel(t *testing.T) {
	h := startWithPatient(t)
	h.stream.SetChannelCustomInEvents(true)
	h.stream.ResetCalls()
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	if n := h.stream.Calls(streamtest.OpQueryChannel); n != 0 {
		t.Errorf("channel reads = %d, want 0: the event carried sms_phone and sms_opted_out", n)
	}
	if len(h.twilio.Messages()) != 1 {
		t.Errorf("SMS sent = %d, want 1", len(h.twilio.Messages()))
	}

	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "STOP"}))
	h.stream.ResetCalls()
	h.write(adminReply("reply-2", "Are you still there?"))
	assertEmptyOK(t, h.deliver("reply-2", 1))
	stored, _ := h.stream.Message("reply-2")
	if h.stream.Calls(streamtest.OpQueryChannel) != 0 || len(h.twilio.Messages()) != 1 || stored.Custom["sms_error_code"] != "opted_out" {
		t.Errorf("after STOP: channel reads %d, SMS %d, marks %v", h.stream.Calls(streamtest.OpQueryChannel), len(h.twilio.Messages()), stored.Custom)
	}
}
