package bridge_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// RecentReminders serves the fake chat's reminders of a channel, newest
// first, as a message search does.
func (f *fakeChat) RecentReminders(_ context.Context, channelID string, n int) ([]bridge.ChatMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("recent_reminders"); err != nil {
		return nil, err
	}
	var out []bridge.ChatMessage
	for _, m := range f.messages {
		if m.ChannelID == channelID && m.Fields[bridge.FieldOrigin] == bridge.OriginReminder {
			m.Fields = maps.Clone(m.Fields)
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b bridge.ChatMessage) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out[:min(n, len(out))], nil
}

var replyNow = time.Date(2030, 5, 6, 14, 0, 0, 0, time.UTC)

// newReplyInbound is an inbound relay with answers on, and a patient whose
// channel exists.
func newReplyInbound() (*bridge.Inbound, *fakeChat) {
	in, chat := newInbound()
	in.Replies = &bridge.Replies{Chat: chat, Window: 168 * time.Hour, Now: func() time.Time { return replyNow }}
	chat.channels["12015550123"] = map[string]any{}
	return in, chat
}

// seedReminder adds a reminder posted ago before replyNow.
func (f *fakeChat) seedReminder(id string, ago time.Duration, fields map[string]any) {
	all := map[string]any{bridge.FieldOrigin: bridge.OriginReminder, bridge.FieldDirection: "outbound", bridge.FieldStatus: "delivered"}
	maps.Copy(all, fields)
	f.messages[id] = bridge.ChatMessage{ID: id, ChannelID: "12015550123", UserID: "front_desk", CreatedAt: replyNow.Add(-ago), Fields: all}
}

func TestReplyKeywordReadsWholeTextAnswers(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"a bare C confirms", "C", bridge.ReplyConfirmed},
		{"a lower-case yes with an exclamation mark confirms", " yes! ", bridge.ReplyConfirmed},
		{"confirmed with a full stop confirms", "Confirmed.", bridge.ReplyConfirmed},
		{"Y confirms", "y", bridge.ReplyConfirmed},
		{"R asks to reschedule", "r", bridge.ReplyReschedule},
		{"reschedule with a question mark asks to reschedule", "Reschedule?", bridge.ReplyReschedule},
		{"a sentence is no answer", "yes please", ""},
		{"STOP is an opt-out, never an answer", "STOP", ""},
		{"CANCEL is an opt-out, never an answer", "cancel", ""},
		{"an empty text is no answer", "  ", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := bridge.ReplyKeyword(c.body)
			if got != c.want || ok != (c.want != "") {
				t.Errorf("ReplyKeyword(%q) = %q, %v; want %q", c.body, got, ok, c.want)
			}
		})
	}
}

func TestAnswerIsRecordedOnTheLatestReceivedReminder(t *testing.T) {
	in, chat := newReplyInbound()
	chat.seedReminder("reminder-old", 72*time.Hour, nil)
	chat.seedReminder("reminder-new", 2*time.Hour, nil)
	chat.seedReminder("reminder-failed", time.Hour, map[string]any{bridge.FieldStatus: "failed"})
	chat.seedReminder("reminder-later", 30*time.Minute, map[string]any{bridge.FieldStatus: "scheduled",
		bridge.FieldSendAt: replyNow.Add(24 * time.Hour).Format(time.RFC3339)})
	res, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "R"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Reply != bridge.ReplyReschedule {
		t.Errorf("reply = %q, want reschedule", res.Reply)
	}
	if got := chat.field("reminder-new", bridge.FieldReply); got != bridge.ReplyReschedule {
		t.Errorf("reminder-new sms_reply = %v", got)
	}
	if got := chat.field("reminder-new", bridge.FieldReplyAt); got != "2030-05-06T14:00:00Z" {
		t.Errorf("sms_reply_at = %v", got)
	}
	if got := chat.field("sms-SM9", bridge.FieldReplyTo); got != "reminder-new" {
		t.Errorf("inbound sms_reply_to = %v", got)
	}
	for _, id := range []string{"reminder-old", "reminder-failed", "reminder-later"} {
		if got := chat.field(id, bridge.FieldReply); got != nil {
			t.Errorf("%s sms_reply = %v, want none", id, got)
		}
	}
}

func TestScheduledReminderIsAsOldAsItsSendTime(t *testing.T) {
	in, chat := newReplyInbound()
	// Posted ten days ago, sent by Twilio two days ago.
	chat.seedReminder("reminder-1", 240*time.Hour, map[string]any{bridge.FieldSendAt: replyNow.Add(-48 * time.Hour).Format(time.RFC3339)})
	if _, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "yes")); err != nil {
		t.Fatal(err)
	}
	if got := chat.field("reminder-1", bridge.FieldReply); got != bridge.ReplyConfirmed {
		t.Errorf("sms_reply = %v, want confirmed", got)
	}
}

func TestAnswerOutsideTheWindowIsAnOrdinaryMessage(t *testing.T) {
	in, chat := newReplyInbound()
	chat.seedReminder("reminder-1", 169*time.Hour, nil)
	res, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "C"))
	if err != nil || res.Reply != "" {
		t.Fatalf("relay = %+v, %v; want no reply", res, err)
	}
	if got := chat.field("reminder-1", bridge.FieldReply); got != nil {
		t.Errorf("sms_reply = %v", got)
	}
	if got := chat.field("sms-SM9", bridge.FieldReplyTo); got != nil || chat.field("sms-SM9", bridge.FieldSID) != "SM9" {
		t.Errorf("inbound message fields: reply_to %v", got)
	}
}

func TestOrdinaryMessageNeverLooksForAReminder(t *testing.T) {
	in, chat := newReplyInbound()
	chat.seedReminder("reminder-1", time.Hour, nil)
	if _, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "Can I come at 3 instead?")); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(chat.calls, []string{"post"}) {
		t.Errorf("calls = %v, want one post", chat.calls)
	}
}

func TestYesBothOptsInAndConfirms(t *testing.T) {
	in, chat := newReplyInbound()
	chat.channels["12015550123"][bridge.FieldOptedOut] = true
	chat.seedReminder("reminder-1", time.Hour, nil)
	res, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "YES"))
	if err != nil {
		t.Fatal(err)
	}
	if res.OptedOut == nil || *res.OptedOut || res.Reply != bridge.ReplyConfirmed {
		t.Errorf("result = %+v, want opted back in and confirmed", res)
	}
}

func TestFailedAnswerWriteIsAnErrorSoTwilioRedelivers(t *testing.T) {
	in, chat := newReplyInbound()
	chat.seedReminder("reminder-1", time.Hour, nil)
	chat.failNext("update_message", bridge.ErrUnavailable)
	if _, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "C")); !errors.Is(err, bridge.ErrUnavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
	res, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "C"))
	if err != nil || res.Outcome != bridge.OutcomeDuplicate || res.Reply != bridge.ReplyConfirmed {
		t.Fatalf("redelivery = %+v, %v", res, err)
	}
	if got := chat.field("sms-SM9", bridge.FieldReplyTo); got != "reminder-1" {
		t.Errorf("sms_reply_to = %v", got)
	}
}
