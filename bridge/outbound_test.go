package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

const replyID = "msg-1"

// newOutbound returns a relay whose chat holds the patient's channel, as
// the patient's first SMS created it, and a message for each id.
func newOutbound(ids ...string) (*bridge.Outbound, *fakeChat, *recordingSMS) {
	chat, sms := newFakeChat(ids...), &recordingSMS{}
	chat.channels["12015550123"] = map[string]any{bridge.FieldPhone: "+12015550123", bridge.FieldOptedOut: false}
	return &bridge.Outbound{Chat: chat, Sender: sms, ChannelType: "sms", AdminRoles: []string{"admin"},
		PublicURL: "https://smsbridge.example.org"}, chat, sms
}

func adminReply(text string) bridge.ChatEvent {
	return bridge.ChatEvent{Type: "message.new", ChannelType: "sms", ChannelID: "12015550123", Attempt: 1,
		Message: bridge.EventMessage{ID: replyID, Text: text, Type: "regular", AuthorID: "front_desk", AuthorRole: "admin"}}
}

func TestAnAdminReplyIsSentAndMarked(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	ev := adminReply("See you tomorrow at 9")
	ev.Message.MediaURLs = []string{"https://cdn.example.org/map.png"}
	outcome, err := out.Relay(context.Background(), ev)
	if err != nil || outcome != bridge.OutcomeSent {
		t.Fatalf("relay = %s, %v", outcome, err)
	}
	if len(sms.sent) != 1 {
		t.Fatalf("sent %d SMS", len(sms.sent))
	}
	m := sms.sent[0]
	if m.To.Raw() != "+12015550123" || m.Body != "See you tomorrow at 9" || len(m.MediaURLs) != 1 ||
		m.StatusCallback != "https://smsbridge.example.org/twilio-status?mid=msg-1#rc=5&rp=ct,rt,5xx" {
		t.Errorf("sms = %+v", m)
	}
	if chat.field(replyID, "sms_sid") == nil || chat.field(replyID, "sms_status") != "queued" || chat.field(replyID, "sms_direction") != "outbound" {
		t.Errorf("marks = %v", chat.messages[replyID].Fields)
	}
}

func TestMessagesTheRulesSkip(t *testing.T) {
	tests := []struct {
		name   string
		change func(*bridge.ChatEvent)
	}{
		{"a patient's own message", func(e *bridge.ChatEvent) { e.Message.AuthorRole = "user" }},
		{"a message the bridge wrote (inbound or reminder)", func(e *bridge.ChatEvent) { e.Message.Marked = true }},
		{"another channel type", func(e *bridge.ChatEvent) { e.ChannelType = "messaging" }},
		{"another event", func(e *bridge.ChatEvent) { e.Type = "message.updated" }},
		{"a system message", func(e *bridge.ChatEvent) { e.Message.Type = "system" }},
		{"an ephemeral message", func(e *bridge.ChatEvent) { e.Message.Type = "ephemeral" }},
		{"an error message", func(e *bridge.ChatEvent) { e.Message.Type = "error" }},
		{"a deleted message", func(e *bridge.ChatEvent) { e.Message.Deleted = true }},
		{"a silent message", func(e *bridge.ChatEvent) { e.Message.Silent = true }},
		{"an empty message", func(e *bridge.ChatEvent) { e.Message.Text = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, chat, sms := newOutbound(replyID)
			ev := adminReply("hello")
			tc.change(&ev)
			outcome, err := out.Relay(context.Background(), ev)
			if err != nil || outcome != bridge.OutcomeIgnored || len(sms.sent) != 0 || len(chat.calls) != 0 {
				t.Errorf("outcome %s, err %v, sms %d, chat calls %v", outcome, err, len(sms.sent), chat.calls)
			}
		})
	}
}

func TestTextOver1600CharactersIsMarkedFailedNotCut(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	outcome, err := out.Relay(context.Background(), adminReply(strings.Repeat("é", 1601)))
	if err != nil || outcome != bridge.OutcomeFailed || len(sms.sent) != 0 {
		t.Fatalf("outcome %s err %v sent %d", outcome, err, len(sms.sent))
	}
	if chat.field(replyID, "sms_error_code") != "too_long" || chat.field(replyID, "sms_status") != "failed" {
		t.Errorf("marks = %v", chat.messages[replyID].Fields)
	}
	out, _, sms = newOutbound(replyID)
	if _, err := out.Relay(context.Background(), adminReply(strings.Repeat("é", 1600))); err != nil || len(sms.sent) != 1 {
		t.Errorf("1600 characters not sent: %v", err)
	}
}

func TestPermanentRefusalsAreMarkedWithAPlainReason(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	sms.errs = []error{&bridge.Refusal{Code: 21610}}
	outcome, err := out.Relay(context.Background(), adminReply("hello"))
	if err != nil || outcome != bridge.OutcomeFailed {
		t.Fatalf("outcome %s err %v", outcome, err)
	}
	if chat.field(replyID, "sms_error_code") != 21610 || !strings.Contains(chat.field(replyID, "sms_error").(string), "opted out") {
		t.Errorf("marks = %v", chat.messages[replyID].Fields)
	}
	if chat.channels["12015550123"]["sms_opted_out"] != true {
		t.Errorf("channel not marked opted out: %v", chat.channels)
	}
}

func TestTransientFailuresAskForARetryAndTheRetrySendsOnce(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	sms.errs = []error{fmt.Errorf("twilio 503: %w", bridge.ErrUnavailable)}
	if _, err := out.Relay(context.Background(), adminReply("hello")); !errors.Is(err, bridge.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	retry := adminReply("hello")
	retry.Attempt = 2
	if outcome, err := out.Relay(context.Background(), retry); err != nil || outcome != bridge.OutcomeSent {
		t.Fatalf("retry: %s %v", outcome, err)
	}
	retry.Attempt = 3
	if outcome, err := out.Relay(context.Background(), retry); err != nil || outcome != bridge.OutcomeDuplicate {
		t.Fatalf("second retry: %s %v", outcome, err)
	}
	if len(sms.sent) != 1 || chat.field(replyID, "sms_sid") == nil {
		t.Errorf("sent %d, marks %v", len(sms.sent), chat.messages[replyID].Fields)
	}
}

func TestAFailedMarkAfterSendingIsNotRetried(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	chat.failWith["update_message"] = fmt.Errorf("stream down: %w", bridge.ErrUnavailable)
	outcome, err := out.Relay(context.Background(), adminReply("hello"))
	if err != nil || outcome != bridge.OutcomeSentUnmarked || len(sms.sent) != 1 {
		t.Errorf("outcome %s err %v sent %d: an error here would make Stream resend", outcome, err, len(sms.sent))
	}
}

func TestARetryThatCannotReadTheMessageAsksForAnotherRetry(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	chat.failWith["get"] = fmt.Errorf("stream down: %w", bridge.ErrUnavailable)
	retry := adminReply("hello")
	retry.Attempt = 2
	if _, err := out.Relay(context.Background(), retry); !errors.Is(err, bridge.ErrUnavailable) || len(sms.sent) != 0 {
		t.Errorf("err %v sent %d", err, len(sms.sent))
	}
}

// sentLog is a bridge.SentLog holding what the provider accepted.
type sentLog struct {
	found bool
	err   error
	asked int
}

func (l *sentLog) FindSent(context.Context, bridge.Phone, string, time.Time) (bridge.Receipt, bool, error) {
	l.asked++
	return bridge.Receipt{Sid: "SMearlier", Status: "sent"}, l.found, l.err
}

func TestARetryAdoptsAMessageAnEarlierAttemptSentWithoutLearningIt(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	out.Sent = &sentLog{found: true}
	chat.messages[replyID].Fields["sms_error"] = "Not sent yet"
	retry := adminReply("hello")
	retry.Attempt = 2
	outcome, err := out.Relay(context.Background(), retry)
	if err != nil || outcome != bridge.OutcomeSent || len(sms.sent) != 0 {
		t.Fatalf("outcome %s err %v sent %d, want the earlier message adopted", outcome, err, len(sms.sent))
	}
	if chat.field(replyID, "sms_sid") != "SMearlier" || chat.field(replyID, "sms_error") != nil {
		t.Errorf("marks = %v", chat.messages[replyID].Fields)
	}
}

func TestARetryWithNothingInTheLogSends(t *testing.T) {
	out, _, sms := newOutbound(replyID)
	log := &sentLog{}
	out.Sent = log
	retry := adminReply("hello")
	retry.Attempt = 2
	if _, err := out.Relay(context.Background(), retry); err != nil || len(sms.sent) != 1 || log.asked != 1 {
		t.Errorf("err %v sent %d asked %d", err, len(sms.sent), log.asked)
	}
}

func TestAFirstDeliveryOfAnOldReplyAsksTheLogAndAdoptsWhatWasSent(t *testing.T) {
	// A send whose answer and mark were both lost leaves the reply as it
	// was; a duplicate first delivery seconds later must not send it again.
	out, chat, sms := newOutbound(replyID)
	chat.messages[replyID] = bridge.ChatMessage{ID: replyID, Fields: map[string]any{}, CreatedAt: time.Now().Add(-time.Minute)}
	log := &sentLog{found: true}
	out.Sent = log
	outcome, err := out.Relay(context.Background(), adminReply("hello"))
	if err != nil || log.asked != 1 || len(sms.sent) != 0 || outcome != bridge.OutcomeSent {
		t.Errorf("outcome %s err %v asked %d sent %d; want the earlier send adopted", outcome, err, log.asked, len(sms.sent))
	}
}

func TestAFirstAttemptDoesNotAskTheLog(t *testing.T) {
	out, _, _ := newOutbound(replyID)
	log := &sentLog{found: true}
	out.Sent = log
	if _, err := out.Relay(context.Background(), adminReply("hello")); err != nil || log.asked != 0 {
		t.Errorf("err %v asked %d", err, log.asked)
	}
}

func TestATransientFailureTellsAdminsItIsNotSentYet(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	sms.errs = []error{fmt.Errorf("twilio 503: %w", bridge.ErrUnavailable)}
	if _, err := out.Relay(context.Background(), adminReply("hello")); !errors.Is(err, bridge.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if chat.field(replyID, "sms_status") != "pending" || chat.field(replyID, "sms_error") == nil || chat.field(replyID, "sms_sid") != nil {
		t.Errorf("marks = %v", chat.messages[replyID].Fields)
	}
}

func TestAReplayedFirstDeliveryOfASentReplySendsNothing(t *testing.T) {
	out, _, sms := newOutbound(replyID)
	for range 2 {
		if _, err := out.Relay(context.Background(), adminReply("hello")); err != nil {
			t.Fatal(err)
		}
	}
	if len(sms.sent) != 1 {
		t.Errorf("sent %d SMS for one reply delivered twice as attempt 1", len(sms.sent))
	}
}

func TestAFirstDeliveryIsSentEvenWhenTheMessageCannotBeReadYet(t *testing.T) {
	out, _, sms := newOutbound() // the store does not know the message
	if outcome, err := out.Relay(context.Background(), adminReply("hello")); err != nil || len(sms.sent) != 1 {
		t.Errorf("outcome %s err %v sent %d", outcome, err, len(sms.sent))
	}
}

func TestAfterStreamsLastAttemptTheReplyIsMarkedNotSent(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	sms.errs = []error{fmt.Errorf("twilio 503: %w", bridge.ErrUnavailable)}
	last := adminReply("hello")
	last.Attempt = 3
	if _, err := out.Relay(context.Background(), last); !errors.Is(err, bridge.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if chat.field(replyID, "sms_status") != "unconfirmed" || chat.field(replyID, "sms_sid") != nil ||
		!strings.Contains(chat.field(replyID, "sms_error").(string), "Send the message again") {
		t.Errorf("marks = %v", chat.messages[replyID].Fields)
	}
}

func TestALastAttemptThatCannotReadTheMessageStillMarksItUnconfirmed(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	// As app wires it: the status ledger remembers attempt 1's "pending",
	// so the ordered write needs no read of the message.
	out.Ledger = coord.NewMemory()
	out.Statuses = &bridge.Statuses{Chat: chat, Ledger: out.Ledger}
	// Attempt 1: Twilio does not answer; the reply is "pending … retrying".
	sms.errs = []error{fmt.Errorf("twilio 503: %w", bridge.ErrUnavailable)}
	if _, err := out.Relay(context.Background(), adminReply("hello")); !errors.Is(err, bridge.ErrUnavailable) {
		t.Fatalf("attempt 1: %v", err)
	}
	// Attempts 2 and 3: Stream's reads fail, its writes still work.
	chat.failWith["get"] = fmt.Errorf("stream down: %w", bridge.ErrUnavailable)
	for attempt := 2; attempt <= 3; attempt++ {
		retry := adminReply("hello")
		retry.Attempt = attempt
		if _, err := out.Relay(context.Background(), retry); !errors.Is(err, bridge.ErrUnavailable) {
			t.Fatalf("attempt %d: %v", attempt, err)
		}
	}
	if len(sms.sent) != 0 {
		t.Errorf("sent %d times, want nothing sent", len(sms.sent))
	}
	if chat.field(replyID, "sms_status") != "unconfirmed" ||
		!strings.Contains(chat.field(replyID, "sms_error").(string), "Send the message again") {
		t.Errorf("marks = %v, want unconfirmed with the send-again reason", chat.messages[replyID].Fields)
	}
}
