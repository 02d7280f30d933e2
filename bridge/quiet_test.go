package bridge_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/quiethours"
)

// quietReminders are reminders with QUIET_HOURS=20:00-08:00 and the clock at
// now.
func quietReminders(t *testing.T, canSchedule bool, now string) (*bridge.Reminders, *fakeChat, *scriptedSMS) {
	t.Helper()
	r, chat, sms := newReminders(canSchedule)
	h, err := quiethours.New("20:00-08:00", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	at := mustTime(now)
	r.QuietHours, r.Now = h, func() time.Time { return at }
	return r, chat, sms
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func to(t *testing.T, number string) bridge.Phone {
	t.Helper()
	p, err := bridge.ParsePhone(number, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAReminderInsideQuietHoursIsRefusedWithTheNextAllowedTimeAndNothingIsPostedOrSent(t *testing.T) {
	for _, tc := range []struct{ name, now, number, wantNext string }{
		{"22:00 in New York", "2030-05-07T02:00:00Z", "+1 201-555-0142", "2030-05-07T12:00:00Z"},
		{"the night New York springs forward", "2030-03-10T03:00:00Z", "+1 201-555-0142", "2030-03-10T12:00:00Z"},
		{"the night New York falls back", "2030-11-03T02:00:00Z", "+1 201-555-0142", "2030-11-03T13:00:00Z"},
		{"the night London springs forward", "2030-03-30T21:00:00Z", "+44 20 7946 0123", "2030-03-31T07:00:00Z"},
		{"the night London falls back", "2030-10-26T20:00:00Z", "+44 20 7946 0123", "2030-10-27T08:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, chat, sms := quietReminders(t, true, tc.now)
			rem := reminder("See you tomorrow.")
			rem.To = to(t, tc.number)
			_, err := r.Send(context.Background(), rem)
			var be *bridge.Error
			if !errors.Is(err, bridge.ErrQuietHours) || !errors.As(err, &be) || be.Code != "quiet_hours" ||
				!be.NextAllowedAt.Equal(mustTime(tc.wantNext)) {
				t.Fatalf("err = %#v, want quiet_hours until %s", err, tc.wantNext)
			}
			if len(chat.calls) != 0 || len(sms.sent) != 0 {
				t.Errorf("calls = %v, sms = %d: nothing may be posted or sent", chat.calls, len(sms.sent))
			}
		})
	}
}

func TestWhenAllowedSchedulesTheReminderForTheEndOfQuietHours(t *testing.T) {
	for _, tc := range []struct{ name, now, number, wantSendAt string }{
		{"for 08:00 New York time", "2030-05-07T02:00:00Z", "+1 201-555-0142", "2030-05-07T12:00:00Z"},
		{"for 08:00 EDT the night clocks spring forward", "2030-03-10T03:00:00Z", "+1 201-555-0142", "2030-03-10T12:00:00Z"},
		{"for 08:00 EST the night clocks fall back", "2030-11-03T02:00:00Z", "+1 201-555-0142", "2030-11-03T13:00:00Z"},
		{"for 08:00 Los Angeles time when Boise's night is over first", "2030-05-07T14:30:00Z", "+1 208-555-0123", "2030-05-07T15:00:00Z"},
		{"16 minutes ahead when quiet hours end sooner than Twilio can schedule", "2030-05-07T11:50:30Z", "+1 201-555-0142",
			"2030-05-07T12:06:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, chat, sms := quietReminders(t, true, tc.now)
			rem := reminder("See you tomorrow.")
			rem.To, rem.WhenAllowed = to(t, tc.number), true
			res, err := r.Send(context.Background(), rem)
			if err != nil {
				t.Fatal(err)
			}
			want := mustTime(tc.wantSendAt)
			if len(sms.sent) != 1 || !sms.sent[0].SendAt.Equal(want) || !res.SendAt.Equal(want) {
				t.Fatalf("sent = %+v, result = %+v; want SendAt %s", sms.sent, res, tc.wantSendAt)
			}
			if m, _ := chat.only(); m.Fields[bridge.FieldSendAt] != tc.wantSendAt {
				t.Errorf("chat message fields = %v", m.Fields)
			}
		})
	}
}

func TestQuietHoursRefusalsThatAreNotTheTimeOfDay(t *testing.T) {
	t.Run("whenAllowed without a Messaging Service is scheduling_unavailable", func(t *testing.T) {
		r, chat, sms := quietReminders(t, false, "2030-05-07T02:00:00Z")
		rem := reminder("See you tomorrow.")
		rem.WhenAllowed = true
		_, err := r.Send(context.Background(), rem)
		if be := (*bridge.Error)(nil); !errors.As(err, &be) || be.Code != "scheduling_unavailable" || !errors.Is(err, bridge.ErrInvalid) {
			t.Errorf("err = %v", err)
		}
		if len(chat.calls) != 0 || len(sms.sent) != 0 {
			t.Errorf("something was posted or sent")
		}
	})
	t.Run("a sendAt inside quiet hours is send_at_quiet_hours", func(t *testing.T) {
		r, chat, _ := quietReminders(t, true, "2030-05-06T14:00:00Z")
		rem := reminder("See you tomorrow.")
		rem.SendAt = mustTime("2030-05-07T01:30:00Z") // 21:30 in New York
		_, err := r.Send(context.Background(), rem)
		var be *bridge.Error
		if !errors.As(err, &be) || be.Code != "send_at_quiet_hours" || !errors.Is(err, bridge.ErrInvalid) ||
			!be.NextAllowedAt.Equal(mustTime("2030-05-07T12:00:00Z")) {
			t.Errorf("err = %#v", err)
		}
		if len(chat.calls) != 0 {
			t.Errorf("something was posted")
		}
	})
	t.Run("a sendAt outside quiet hours is scheduled as asked", func(t *testing.T) {
		r, _, sms := quietReminders(t, true, "2030-05-06T14:00:00Z")
		rem := reminder("See you tomorrow.")
		rem.SendAt = mustTime("2030-05-06T22:00:00Z") // 18:00 in New York
		if _, err := r.Send(context.Background(), rem); err != nil || !sms.sent[0].SendAt.Equal(rem.SendAt) {
			t.Errorf("err = %v, sent = %+v", err, sms.sent)
		}
	})
	t.Run("a reminder by day is sent now", func(t *testing.T) {
		r, _, sms := quietReminders(t, false, "2030-05-06T14:00:00Z")
		if _, err := r.Send(context.Background(), reminder("See you tomorrow.")); err != nil || !sms.sent[0].SendAt.IsZero() {
			t.Errorf("err = %v, sent = %+v", err, sms.sent)
		}
	})
}
