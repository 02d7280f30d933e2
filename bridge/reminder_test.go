package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

var reminderNow = time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)

func newReminders(canSchedule bool) (*bridge.Reminders, *fakeChat, *scriptedSMS) {
	chat := newFakeChat()
	sms := &scriptedSMS{chat: chat, receipt: bridge.Receipt{Sid: "SM1", Status: "queued"}}
	return &bridge.Reminders{
		Chat: chat, Sender: sms, Admins: []string{"front_desk", "dr_lee"},
		Statuses:  &bridge.Statuses{Chat: chat, Ledger: coord.NewMemory()},
		PublicURL: "https://smsbridge.example.org", CanSchedule: canSchedule,
		Now: func() time.Time { return reminderNow }, NewID: func() string { return "reminder-1" },
	}, chat, sms
}

func reminder(text string) bridge.Reminder {
	to, err := bridge.ParsePhone("(201) 555-0142", "US")
	if err != nil {
		panic(err)
	}
	return bridge.Reminder{AdminID: "front_desk", To: to, Text: text}
}

func TestAReminderIsPostedThenSentThenMarked(t *testing.T) {
	r, chat, sms := newReminders(false)
	res, err := r.Send(context.Background(), reminder("Your appointment is tomorrow at 10."))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"create", "post", "sms", "update_message"}; !slices.Equal(chat.calls, want) {
		t.Errorf("calls = %v, want %v", chat.calls, want)
	}
	if res.Outcome != bridge.OutcomeSent || res.Sid != "SM1" || res.Status != "queued" ||
		res.ChannelID != "12015550142" || res.To.Raw() != "+12015550142" || res.MessageID != "reminder-1" {
		t.Errorf("result = %+v", res)
	}
	got := sms.sent[0]
	if got.To.Raw() != "+12015550142" || got.Body != "Your appointment is tomorrow at 10." || !got.SendAt.IsZero() ||
		got.StatusCallback != "https://smsbridge.example.org/twilio-status?mid=reminder-1#rc=5&rp=ct,rt,5xx" {
		t.Errorf("sms = %+v", got)
	}
	m, n := chat.only()
	if n != 1 || m.ID != "reminder-1" || m.ChannelID != "12015550142" || m.UserID != "front_desk" {
		t.Fatalf("message = %+v (of %d)", m, n)
	}
	want := map[string]any{"sms_direction": "outbound", "sms_origin": "reminder", "sms_sid": "SM1", "sms_status": "queued"}
	if fmt.Sprint(m.Fields) != fmt.Sprint(want) {
		t.Errorf("fields = %v, want %v", m.Fields, want)
	}
	if chat.channels["12015550142"][bridge.FieldPhone] != "+12015550142" {
		t.Errorf("channel = %v", chat.channels["12015550142"])
	}
}

func TestAReminderWhoseMarkFailsIsStillReportedSent(t *testing.T) {
	r, chat, _ := newReminders(false)
	chat.failWith["update_message"] = fmt.Errorf("stream down: %w", bridge.ErrUnavailable)
	res, err := r.Send(context.Background(), reminder("See you on Friday."))
	if err != nil || res.Outcome != bridge.OutcomeSentUnmarked || res.Sid != "SM1" || res.MarkErr == nil {
		t.Fatalf("result = %+v, %v", res, err)
	}
	m, _ := chat.only()
	if m.Fields["sms_status"] != "pending" || m.Fields["sms_direction"] != "outbound" || m.Fields["sms_sid"] != nil {
		t.Errorf("fields = %v: a reminder must carry sms_direction from its creation", m.Fields)
	}
}

func TestOptedOutPatientsAreRefusedBeforeAnythingIsPostedOrSent(t *testing.T) {
	r, chat, sms := newReminders(false)
	chat.channels["12015550142"] = map[string]any{bridge.FieldOptedOut: true}
	_, err := r.Send(context.Background(), reminder("Your appointment is tomorrow."))
	var be *bridge.Error
	if !errors.Is(err, bridge.ErrOptedOut) || !errors.As(err, &be) || be.Code != "opted_out" {
		t.Fatalf("err = %v, want opted_out", err)
	}
	if !slices.Equal(chat.calls, []string{"create"}) || len(sms.sent) != 0 {
		t.Errorf("calls = %v, sms = %d", chat.calls, len(sms.sent))
	}
}

func TestInvalidRemindersAreRefusedWithoutAnyCall(t *testing.T) {
	at := func(d time.Duration) time.Time { return reminderNow.Add(d) }
	tests := []struct {
		name        string
		text        string
		sendAt      time.Time
		canSchedule bool
		wantCode    string
	}{
		{"empty text is refused", "", time.Time{}, true, "empty_text"},
		{"text of only spaces is refused", " \n\t ", time.Time{}, true, "empty_text"},
		{"1601 characters are refused", strings.Repeat("é", 1601), time.Time{}, true, "text_too_long"},
		{"a NUL is refused", "See you\x00 tomorrow", time.Time{}, true, "invalid_text"},
		{"an ESC (terminal escape) is refused", "See you \x1b[31mtomorrow", time.Time{}, true, "invalid_text"},
		{"a right-to-left override is refused", "Pay at \u202Emoc.elpmaxe", time.Time{}, true, "invalid_text"},
		{"a first-strong isolate is refused", "See you \u2068tomorrow\u2069", time.Time{}, true, "invalid_text"},
		{"a pop-directional-formatting mark is refused", "See you\u202C", time.Time{}, true, "invalid_text"},
		{"a schedule without a Messaging Service is refused", "hello", at(2 * time.Hour), false, "scheduling_unavailable"},
		{"a schedule 5 minutes ahead is refused", "hello", at(5 * time.Minute), true, "send_at_out_of_range"},
		{"a schedule in the past is refused", "hello", at(-time.Hour), true, "send_at_out_of_range"},
		{"a schedule 36 days ahead is refused", "hello", at(36 * 24 * time.Hour), true, "send_at_out_of_range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, chat, sms := newReminders(tc.canSchedule)
			rem := reminder(tc.text)
			rem.SendAt = tc.sendAt
			_, err := r.Send(context.Background(), rem)
			var be *bridge.Error
			if !errors.Is(err, bridge.ErrInvalid) || !errors.As(err, &be) || be.Code != tc.wantCode {
				t.Errorf("err = %v, want %s", err, tc.wantCode)
			}
			if len(chat.calls) != 0 || len(sms.sent) != 0 {
				t.Errorf("calls = %v, sms = %d", chat.calls, len(sms.sent))
			}
		})
	}
}

func TestTheLimitsThemselvesAreAccepted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		text   string
		sendAt time.Duration
	}{
		{"1600 characters are accepted", strings.Repeat("é", 1600), 0},
		{"newlines, carriage returns and tabs are accepted", "Line one\r\nLine two\n\tIndented", 0},
		{"right-to-left script without override marks is accepted", "موعدك غدا", 0},
		{"a schedule exactly 15 minutes ahead is accepted", "hello", 15 * time.Minute},
		{"a schedule exactly 35 days ahead is accepted", "hello", 35 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, _ := newReminders(true)
			rem := reminder(tc.text)
			if tc.sendAt > 0 {
				rem.SendAt = reminderNow.Add(tc.sendAt)
			}
			if _, err := r.Send(context.Background(), rem); err != nil {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestAScheduledReminderIsSentWithSendAtAndSaysWhen(t *testing.T) {
	r, chat, sms := newReminders(true)
	sms.receipt = bridge.Receipt{Sid: "SM2", Status: "scheduled"}
	rem := reminder("Your appointment is in two hours.")
	rem.SendAt = reminderNow.Add(2 * time.Hour)
	res, err := r.Send(context.Background(), rem)
	if err != nil || res.Status != "scheduled" {
		t.Fatalf("result = %+v, %v", res, err)
	}
	if !sms.sent[0].SendAt.Equal(rem.SendAt) {
		t.Errorf("SendAt = %v, want %v", sms.sent[0].SendAt, rem.SendAt)
	}
	m, _ := chat.only()
	if m.Fields["sms_status"] != "scheduled" || m.Fields["sms_send_at"] != "2030-05-06T11:00:00Z" {
		t.Errorf("fields = %v", m.Fields)
	}
}

func TestRefusedRemindersAreMarkedFailedAndKeepTwilioCode(t *testing.T) {
	tests := []struct {
		name       string
		code       int
		wantKind   error
		wantOptOut bool
	}{
		{"an opted-out recipient is a conflict and marks the channel", 21610, bridge.ErrOptedOut, true},
		{"an invalid number is invalid", 21211, bridge.ErrInvalid, false},
		{"a country not enabled is an upstream refusal", 21408, bridge.ErrUpstream, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, chat, sms := newReminders(false)
			sms.err = &bridge.Refusal{Code: tc.code}
			res, err := r.Send(context.Background(), reminder("Your appointment is tomorrow."))
			var be *bridge.Error
			if !errors.Is(err, tc.wantKind) || !errors.As(err, &be) || be.Code != fmt.Sprint(tc.code) {
				t.Fatalf("err = %v, want kind %v with code %d", err, tc.wantKind, tc.code)
			}
			if res.Outcome != bridge.OutcomeFailed || res.MarkErr != nil {
				t.Errorf("result = %+v", res)
			}
			m, _ := chat.only()
			if m.Fields["sms_status"] != "failed" || m.Fields["sms_error_code"] != tc.code ||
				m.Fields["sms_error"] != bridge.ErrorSentence(tc.code) || m.Fields["sms_sid"] != nil {
				t.Errorf("fields = %v", m.Fields)
			}
			if opted, _ := chat.channels["12015550142"][bridge.FieldOptedOut].(bool); opted != tc.wantOptOut {
				t.Errorf("sms_opted_out = %v, want %v", opted, tc.wantOptOut)
			}
		})
	}
}

func TestAnUnavailableProviderMarksTheReminderUnconfirmedEvenWhenTheCallerLeft(t *testing.T) {
	r, chat, sms := newReminders(false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sms.err = fmt.Errorf("twilio create_message: timed out: %w", bridge.ErrUnavailable)
	sms.onSend = cancel
	res, err := r.Send(ctx, reminder("Your appointment is tomorrow."))
	if !errors.Is(err, bridge.ErrUnavailable) || res.Outcome != bridge.OutcomeFailed || res.MarkErr != nil {
		t.Fatalf("result = %+v, %v", res, err)
	}
	m, _ := chat.only()
	if m.Fields["sms_status"] != "unconfirmed" || m.Fields["sms_error_code"] != "unavailable" || m.Fields["sms_error"] == "" {
		t.Errorf("fields = %v", m.Fields)
	}
	if bridge.StatusAdvances("unconfirmed", "sent") != true {
		t.Error("a later callback saying it was sent must be able to replace unconfirmed")
	}
}

// foundLog is a bridge.SentLog that always finds the message.
type foundLog struct{ asked int }

func (l *foundLog) FindSent(context.Context, bridge.Phone, string, time.Time) (bridge.Receipt, bool, error) {
	l.asked++
	return bridge.Receipt{Sid: "SMlate", Status: "queued"}, true, nil
}

func TestASendWhoseAnswerWasLostIsAdoptedFromTheProvidersLog(t *testing.T) {
	r, chat, sms := newReminders(false)
	log := &foundLog{}
	r.Sent = log
	sms.err = fmt.Errorf("twilio create_message: timed out: %w", bridge.ErrUnavailable)
	res, err := r.Send(context.Background(), reminder("Your appointment is tomorrow."))
	if err != nil || res.Outcome != bridge.OutcomeSent || res.Sid != "SMlate" {
		t.Fatalf("result = %+v, %v", res, err)
	}
	if m, _ := chat.only(); m.Fields["sms_sid"] != "SMlate" || m.Fields["sms_status"] != "queued" {
		t.Errorf("fields = %v", m.Fields)
	}
}

func TestARefusalIsNotLookedUpInTheLog(t *testing.T) {
	r, _, sms := newReminders(false)
	log := &foundLog{}
	r.Sent = log
	sms.err = &bridge.Refusal{Code: 21211}
	if _, err := r.Send(context.Background(), reminder("Your appointment is tomorrow.")); err == nil || log.asked != 0 {
		t.Errorf("err %v, log asked %d times", err, log.asked)
	}
}

func TestChatFailuresBeforeTheSendSendNothing(t *testing.T) {
	for _, call := range []string{"create", "post"} {
		t.Run("when "+call+" fails", func(t *testing.T) {
			r, chat, sms := newReminders(false)
			chat.failWith[call] = fmt.Errorf("stream %s: %w", call, bridge.ErrUnavailable)
			res, err := r.Send(context.Background(), reminder("Your appointment is tomorrow."))
			if !errors.Is(err, bridge.ErrUnavailable) || res.Outcome != "" {
				t.Errorf("result = %+v, %v", res, err)
			}
			if len(sms.sent) != 0 {
				t.Errorf("sent %d SMS", len(sms.sent))
			}
		})
	}
}

// rateLimited is a chat call held back until its window turns, as
// streamhook returns it.
type rateLimited struct{ wait time.Duration }

func (e rateLimited) Error() string             { return "stream send_message: status 429 code 9" }
func (e rateLimited) Unwrap() error             { return bridge.ErrUnavailable }
func (e rateLimited) RetryAfter() time.Duration { return e.wait }

func TestAReminderHeldBackByTheChatsRateLimitSaysWhenToSendItAgain(t *testing.T) {
	for _, call := range []string{"create", "post"} {
		t.Run("when "+call+" is held back", func(t *testing.T) {
			r, chat, sms := newReminders(false)
			chat.failWith[call] = rateLimited{wait: 40 * time.Second}
			_, err := r.Send(context.Background(), reminder("Your appointment is tomorrow."))
			var be *bridge.Error
			if !errors.Is(err, bridge.ErrUnavailable) || !errors.As(err, &be) || be.Code != "chat_rate_limited" || be.RetryAfter != 40*time.Second {
				t.Errorf("err = %v, want chat_rate_limited with Retry-After 40s", err)
			}
			if len(sms.sent) != 0 {
				t.Errorf("sent %d SMS", len(sms.sent))
			}
		})
	}
}

func TestReminderIDsAreFreshEachTime(t *testing.T) {
	a, b := bridge.NewReminderID(), bridge.NewReminderID()
	if a == b || !strings.HasPrefix(a, "reminder-") || len(a) != len("reminder-")+32 {
		t.Errorf("ids %q, %q", a, b)
	}
}
