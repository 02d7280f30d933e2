package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func newInbound() (*bridge.Inbound, *fakeChat) {
	chat := newFakeChat()
	return &bridge.Inbound{Chat: chat, Admins: []string{"front_desk", "dr_lee"}}, chat
}

func sms(sid, from, body string) bridge.InboundSMS {
	return bridge.InboundSMS{MessageSid: sid, From: bridge.SenderPhone(from), Body: body}
}

func TestFirstContactCreatesTheConversationThenStoresTheMessage(t *testing.T) {
	in, chat := newInbound()
	res, err := in.Relay(context.Background(), sms("SM1", "+12015550123", "Can I move my appointment?"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != bridge.OutcomeFirst {
		t.Errorf("outcome = %s, want first", res.Outcome)
	}
	if want := []string{"post", "create", "post"}; !slices.Equal(chat.calls, want) {
		t.Errorf("calls = %v, want %v", chat.calls, want)
	}
	conv := chat.convs["12015550123"]
	if conv.Patient.ID != "12015550123" || conv.Patient.Name != "+1 201-555-0123" || conv.Patient.Role != "user" {
		t.Errorf("patient = %+v", conv.Patient)
	}
	if !slices.Equal(conv.Admins, []string{"front_desk", "dr_lee"}) || conv.CreatedBy != "front_desk" {
		t.Errorf("admins = %v, created by %q", conv.Admins, conv.CreatedBy)
	}
	if conv.Fields[bridge.FieldPhone] != "+12015550123" || conv.Fields[bridge.FieldOptedOut] != false {
		t.Errorf("channel fields = %v", conv.Fields)
	}
	msg := chat.messages["sms-SM1"]
	if msg.UserID != "12015550123" || msg.Text != "Can I move my appointment?" ||
		msg.Fields[bridge.FieldDirection] != "inbound" || msg.Fields[bridge.FieldSID] != "SM1" {
		t.Errorf("message = %+v", msg)
	}
}

func TestSteadyStateMakesOneChatCall(t *testing.T) {
	in, chat := newInbound()
	if _, err := in.Relay(context.Background(), sms("SM1", "+12015550123", "hi")); err != nil {
		t.Fatal(err)
	}
	chat.calls = nil
	res, err := in.Relay(context.Background(), sms("SM2", "+12015550123", "again"))
	if err != nil || res.Outcome != bridge.OutcomeStored {
		t.Fatalf("relay = %v, %v", res.Outcome, err)
	}
	if !slices.Equal(chat.calls, []string{"post"}) {
		t.Errorf("calls = %v, want one post", chat.calls)
	}
}

func TestRedeliveryIsSuccessAndStoresNothingNew(t *testing.T) {
	in, chat := newInbound()
	for i := range 3 {
		res, err := in.Relay(context.Background(), sms("SM1", "+12015550123", "hi"))
		if err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		if i > 0 && res.Outcome != bridge.OutcomeDuplicate {
			t.Errorf("delivery %d outcome = %s, want duplicate", i+1, res.Outcome)
		}
	}
	if len(chat.messages) != 1 {
		t.Errorf("messages = %d, want 1", len(chat.messages))
	}
}

func TestChatFailuresAreReturnedWithTheirKind(t *testing.T) {
	for _, call := range []string{"post", "create"} {
		t.Run(call, func(t *testing.T) {
			in, chat := newInbound()
			chat.failWith[call] = fmt.Errorf("stream down: %w", bridge.ErrUnavailable)
			_, err := in.Relay(context.Background(), sms("SM1", "+12015550123", "hi"))
			if !errors.Is(err, bridge.ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
			if len(chat.messages) != 0 {
				t.Errorf("stored %d messages on failure", len(chat.messages))
			}
		})
	}
}

func TestMissingFieldsAreInvalid(t *testing.T) {
	in, chat := newInbound()
	for _, s := range []bridge.InboundSMS{sms("", "+12015550123", "x"), sms("SM1", "", "x"), sms("SM1", "+-+", "x")} {
		if _, err := in.Relay(context.Background(), s); !errors.Is(err, bridge.ErrInvalid) {
			t.Errorf("Relay(%+v) err = %v, want ErrInvalid", s, err)
		}
	}
	if len(chat.calls) != 0 {
		t.Errorf("chat called %v for invalid input", chat.calls)
	}
}

func TestShortCodeAndWhatsAppSendersAreNeverRefused(t *testing.T) {
	in, chat := newInbound()
	for _, sender := range []string{"72345", "whatsapp:+12015550123", "whatsapp:US.13491208655302741918", "CLINIC"} {
		channel := bridge.SenderPhone(sender).ChannelID()
		if _, err := in.Relay(context.Background(), sms("SM-"+channel, sender, "hi")); err != nil {
			t.Errorf("%s: %v", channel, err)
		}
		if _, ok := chat.convs[channel]; !ok {
			t.Errorf("no channel %q for sender", channel)
		}
	}
}

func TestMMSMediaBecomeAttachments(t *testing.T) {
	in, chat := newInbound()
	s := sms("SM1", "+12015550123", "")
	s.Media = []bridge.Media{{URL: "https://api.twilio.com/m/1", ContentType: "image/jpeg"},
		{URL: "https://api.twilio.com/m/2", ContentType: "application/pdf"}, {URL: "https://api.twilio.com/m/3", ContentType: "video/mp4"}}
	if _, err := in.Relay(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	got := chat.messages["sms-SM1"].Attachments
	want := []bridge.Attachment{{"image", "https://api.twilio.com/m/1", "image/jpeg"},
		{"file", "https://api.twilio.com/m/2", "application/pdf"}, {"video", "https://api.twilio.com/m/3", "video/mp4"}}
	if !slices.Equal(got, want) {
		t.Errorf("attachments = %+v, want %+v", got, want)
	}
}

func TestOptOutKeywordsFlipTheChannelAfterStoringTheMessage(t *testing.T) {
	in, chat := newInbound()
	for _, tc := range []struct {
		body, optOutType string
		want             bool
	}{{" stop ", "", true}, {"Start", "", false}, {"Yes please", "STOP", true}, {"unstop", "", false}} {
		if _, err := in.Relay(context.Background(), bridge.InboundSMS{MessageSid: "SM" + tc.body, From: bridge.SenderPhone("+12015550123"), Body: tc.body, OptOutType: tc.optOutType}); err != nil {
			t.Fatal(err)
		}
		last := chat.updates[len(chat.updates)-1]
		if last[bridge.FieldOptedOut] != tc.want {
			t.Errorf("%q/%q: sms_opted_out = %v, want %v", tc.body, tc.optOutType, last[bridge.FieldOptedOut], tc.want)
		}
	}
	if len(chat.messages) != 4 {
		t.Errorf("keyword messages stored = %d, want 4", len(chat.messages))
	}
}
