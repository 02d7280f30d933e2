package bridge_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

// replyIn is an admin's reply written in channel id.
func replyIn(id string) bridge.ChatEvent {
	ev := adminReply("Your results are ready")
	ev.ChannelID = id
	return ev
}

func TestAReplyGoesToTheChannelsSmsPhoneWhenItHasOne(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		fields  map[string]any
		want    string
	}{
		{"sms_phone wins over the channel id", "12015550123", map[string]any{bridge.FieldPhone: "+12015550142"}, "+12015550142"},
		{"without sms_phone the channel id is the number", "12015550123", map[string]any{}, "+12015550123"},
		{"a UK number", "442079460123", map[string]any{bridge.FieldPhone: "+442079460123"}, "+442079460123"},
		{"an sms_phone that is not text counts as absent", "12015550123", map[string]any{bridge.FieldPhone: 12015550142}, "+12015550123"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, chat, sms := newOutbound(replyID)
			chat.channels[tc.channel] = tc.fields
			outcome, err := out.Relay(context.Background(), replyIn(tc.channel))
			if err != nil || outcome != bridge.OutcomeSent || len(sms.sent) != 1 {
				t.Fatalf("relay = %s, %v, %d SMS", outcome, err, len(sms.sent))
			}
			if got := sms.sent[0].To.Raw(); got != tc.want {
				t.Errorf("sent to %s, want %s", sms.sent[0].To, bridge.SenderPhone(tc.want))
			}
		})
	}
}

func TestRepliesThatMustNotBeSentAreMarkedFailedWithoutAnSMS(t *testing.T) {
	tests := []struct {
		name     string
		channel  string
		fields   map[string]any
		wantCode string
	}{
		{"an opted-out patient", "12015550123", map[string]any{bridge.FieldPhone: "+12015550123", bridge.FieldOptedOut: true}, bridge.CodeReplyOptedOut},
		{"a channel id that is no valid number", "15555550123", map[string]any{}, bridge.CodeReplyInvalidPhone},
		{"an sms_phone that is no valid number", "12015550123", map[string]any{bridge.FieldPhone: "+15555550123"}, bridge.CodeReplyInvalidPhone},
		{"an sms_phone with punctuation", "12015550123", map[string]any{bridge.FieldPhone: "+1 (201) 555-0123"}, bridge.CodeReplyInvalidPhone},
		{"a premium-rate number", "19005550123", map[string]any{}, bridge.CodeReplyPremiumNumber},
		{"a short code sender", "72345", map[string]any{bridge.FieldPhone: "72345"}, bridge.CodeReplyNotPossible},
		{"a short code channel without sms_phone", "72345", map[string]any{}, bridge.CodeReplyNotPossible},
		{"an alphanumeric sender", "MyClinic", map[string]any{bridge.FieldPhone: "MyClinic"}, bridge.CodeReplyNotPossible},
		{"an alphanumeric channel without sms_phone", "MyClinic", map[string]any{}, bridge.CodeReplyNotPossible},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, chat, sms := newOutbound(replyID)
			chat.channels[tc.channel] = tc.fields
			outcome, err := out.Relay(context.Background(), replyIn(tc.channel))
			if err != nil || outcome != bridge.OutcomeFailed {
				t.Fatalf("relay = %s, %v, want failed and no error (Stream must not retry)", outcome, err)
			}
			if len(sms.sent) != 0 {
				t.Errorf("%d SMS sent, want none", len(sms.sent))
			}
			reason, _ := chat.field(replyID, bridge.FieldError).(string)
			if chat.field(replyID, bridge.FieldStatus) != bridge.StatusFailed || chat.field(replyID, bridge.FieldErrorCode) != tc.wantCode || reason == "" {
				t.Errorf("marks = %v, want failed with code %s and a reason", chat.messages[replyID].Fields, tc.wantCode)
			}
		})
	}
}

func TestTheRefusalsSayWhyInPlainWords(t *testing.T) {
	tests := []struct {
		name, channel, phone, want string
	}{
		{"opt-out", "12015550123", "", "The patient has opted out of text messages (replied STOP). They must text START before they can receive messages again."},
		{"short code", "72345", "72345", "Replies to this sender are not possible: it is a short code or a name, not a phone number. The message was not sent."},
		{"invalid number", "15555550123", "", "The patient's phone number is not a valid number, so the message was not sent."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, chat, _ := newOutbound(replyID)
			chat.channels[tc.channel] = map[string]any{bridge.FieldOptedOut: tc.name == "opt-out"}
			if tc.phone != "" {
				chat.channels[tc.channel][bridge.FieldPhone] = tc.phone
			}
			if _, err := out.Relay(context.Background(), replyIn(tc.channel)); err != nil {
				t.Fatal(err)
			}
			if got := chat.field(replyID, bridge.FieldError); got != tc.want {
				t.Errorf("sms_error = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAnEventCarryingTheChannelsFieldsCostsNoChannelRead(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	ev := adminReply("See you at 9")
	ev.Channel = &bridge.ChannelState{Phone: bridge.SenderPhone("+12015550142")}
	if outcome, err := out.Relay(context.Background(), ev); err != nil || outcome != bridge.OutcomeSent {
		t.Fatalf("relay = %s, %v", outcome, err)
	}
	if n := chat.count("read_channel"); n != 0 || sms.sent[0].To.Raw() != "+12015550142" {
		t.Errorf("%d channel reads, sent to %s; want none, to the event's sms_phone", n, sms.sent[0].To)
	}

	out, chat, sms = newOutbound(replyID)
	ev.Channel = &bridge.ChannelState{OptedOut: true}
	if outcome, err := out.Relay(context.Background(), ev); err != nil || outcome != bridge.OutcomeFailed {
		t.Fatalf("opted out in the event: relay = %s, %v", outcome, err)
	}
	if chat.count("read_channel") != 0 || len(sms.sent) != 0 || chat.field(replyID, bridge.FieldErrorCode) != bridge.CodeReplyOptedOut {
		t.Errorf("reads %d, SMS %d, marks %v", chat.count("read_channel"), len(sms.sent), chat.messages[replyID].Fields)
	}
}

func TestAnEventWithoutTheChannelsFieldsReadsTheChannelOnce(t *testing.T) {
	out, chat, _ := newOutbound(replyID)
	if _, err := out.Relay(context.Background(), adminReply("See you at 9")); err != nil {
		t.Fatal(err)
	}
	if n := chat.count("read_channel"); n != 1 {
		t.Errorf("%d channel reads, want 1", n)
	}
}

func TestAChannelThatCannotBeReadSendsNothingAndLetsStreamRetry(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	out.Ledger = coord.NewMemory()
	chat.failNext("read_channel", bridge.ErrUnavailable)
	_, err := out.Relay(context.Background(), adminReply("See you at 9"))
	if !errors.Is(err, bridge.ErrUnavailable) || len(sms.sent) != 0 {
		t.Fatalf("first attempt: err %v, %d SMS; want unavailable and none", err, len(sms.sent))
	}
	retry := adminReply("See you at 9")
	retry.Attempt = 2
	if outcome, err := out.Relay(context.Background(), retry); err != nil || outcome != bridge.OutcomeSent || len(sms.sent) != 1 {
		t.Errorf("retry: %s, %v, %d SMS; want the claim given back and the reply sent", outcome, err, len(sms.sent))
	}
}

func TestAChannelUnreadableOnStreamsLastAttemptLeavesTheReplyUnconfirmed(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	chat.failNext("read_channel", bridge.ErrUnavailable)
	ev := adminReply("See you at 9")
	ev.Attempt = 3
	if _, err := out.Relay(context.Background(), ev); !errors.Is(err, bridge.ErrUnavailable) || len(sms.sent) != 0 {
		t.Fatalf("err %v, %d SMS", err, len(sms.sent))
	}
	if chat.field(replyID, bridge.FieldStatus) != bridge.StatusUnconfirmed {
		t.Errorf("marks = %v, want unconfirmed", chat.messages[replyID].Fields)
	}
}

func TestAReplySentBeforeThePatientOptedOutStaysMarkedSent(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	chat.messages[replyID] = bridge.ChatMessage{ID: replyID, CreatedAt: time.Now().Add(-time.Minute),
		Fields: map[string]any{bridge.FieldSID: "SM0123", bridge.FieldStatus: "delivered", bridge.FieldDirection: "outbound"}}
	chat.channels["12015550123"][bridge.FieldOptedOut] = true
	ev := adminReply("See you at 9")
	ev.Attempt = 2 // a retry whose first attempt's answer was lost
	outcome, err := out.Relay(context.Background(), ev)
	if err != nil || outcome != bridge.OutcomeDuplicate || len(sms.sent) != 0 {
		t.Fatalf("relay = %s, %v, %d SMS", outcome, err, len(sms.sent))
	}
	if chat.field(replyID, bridge.FieldStatus) != "delivered" {
		t.Errorf("status = %v, want delivered kept", chat.field(replyID, bridge.FieldStatus))
	}
}

func TestAReplyInAChannelThatNoLongerExistsIsNotSent(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	delete(chat.channels, "12015550123")
	outcome, err := out.Relay(context.Background(), adminReply("See you at 9"))
	if err != nil || outcome != bridge.OutcomeIgnored || len(sms.sent) != 0 {
		t.Errorf("relay = %s, %v, %d SMS; want ignored, nothing sent", outcome, err, len(sms.sent))
	}
}
