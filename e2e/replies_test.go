package e2e

import (
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Confirm and reschedule replies (docs/replies.md): a keyword answers the
// patient's latest reminder, anything else is an ordinary message.

// sendReminder sends one reminder to reminderPatient through the API and
// returns its chat message id.
func (a *apiHarness) sendReminder() string {
	a.t.Helper()
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": reminderPatient,
		"messageText": "Your appointment is tomorrow at 10:00. Reply C to confirm or R to reschedule."})
	if r.Status != http.StatusOK {
		a.t.Fatalf("reminder: %d %s", r.Status, r.Body)
	}
	for _, m := range a.stream.Messages("sms", "12015550142") {
		if m.Custom["sms_origin"] == "reminder" {
			return m.ID
		}
	}
	a.t.Fatal("no reminder in the channel")
	return ""
}

// reply delivers body from reminderPatient and returns the inbound message id.
func (a *apiHarness) reply(body string) string {
	a.t.Helper()
	sid := twiliotest.NewMessageSid()
	assertTwiMLOK(a.t, a.receiveSMS(sms{Sid: sid, From: reminderPatient, Body: body}))
	return "sms-" + sid
}

func TestEveryKeywordAnswersTheLatestReminder(t *testing.T) {
	a := startAPI(t)
	reminderID := a.sendReminder()
	// Alternating answers, so each one is seen to replace the one before.
	cases := []struct{ body, want string }{
		{"C", "confirmed"}, {"R", "reschedule"}, {"CONFIRM", "confirmed"}, {"RESCHEDULE", "reschedule"},
		{"Confirmed.", "confirmed"}, {" r ", "reschedule"}, {"y", "confirmed"}, {"Reschedule!", "reschedule"},
		{"yes!", "confirmed"},
	}
	for _, c := range cases {
		before := time.Now().UTC().Truncate(time.Second)
		inboundID := a.reply(c.body)
		rem, _ := a.stream.Message(reminderID)
		if rem.Custom["sms_reply"] != c.want {
			t.Errorf("after %q: sms_reply = %v, want %s", c.body, rem.Custom["sms_reply"], c.want)
		}
		at, err := time.Parse(time.RFC3339, fmtString(rem.Custom["sms_reply_at"]))
		if err != nil || at.Before(before) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("after %q: sms_reply_at = %v (%v)", c.body, rem.Custom["sms_reply_at"], err)
		}
		in, ok := a.stream.Message(inboundID)
		if !ok || in.Text != c.body || in.Custom["sms_direction"] != "inbound" || in.Custom["sms_reply_to"] != reminderID {
			t.Errorf("after %q: inbound message = %+v", c.body, in)
		}
		if rem.Custom["sms_status"] != "queued" || rem.Custom["sms_sid"] == nil {
			t.Errorf("after %q: the reminder's status marks changed: %v", c.body, rem.Custom)
		}
	}
}

func TestANonKeywordReplyIsOrdinaryAndCostsOneStreamCall(t *testing.T) {
	a := startAPI(t)
	reminderID := a.sendReminder()
	a.reply("first message")
	a.stream.ResetCalls()
	inboundID := a.reply("Yes, see you then")
	if n := a.stream.TotalCalls(); n != 1 {
		t.Errorf("Stream calls = %d, want 1", n)
	}
	rem, _ := a.stream.Message(reminderID)
	in, _ := a.stream.Message(inboundID)
	if rem.Custom["sms_reply"] != nil || in.Custom["sms_reply_to"] != nil || in.Text != "Yes, see you then" {
		t.Errorf("reminder %v, inbound %+v: want no answer recorded", rem.Custom, in)
	}
}

func TestAKeywordCostsOneSearchAndTwoPartialUpdates(t *testing.T) {
	a := startAPI(t)
	a.sendReminder()
	a.stream.ResetCalls()
	a.reply("C")
	want := map[string]int{streamtest.OpSendMessage: 1, streamtest.OpSearch: 1, streamtest.OpUpdateMessagePartial: 2}
	if got := streamCalls(a.harness); !maps.Equal(got, want) {
		t.Errorf("Stream calls = %v, want %v", got, want)
	}
}

func TestAKeywordAfterTheReplyWindowIsAnOrdinaryMessage(t *testing.T) {
	a := startAPI(t, withEnv("REMINDER_REPLY_WINDOW", "48h"))
	// A reminder that went out three days ago.
	a.stream.PutMessage(streamtest.Message{ID: "reminder-old", ChannelType: "sms", ChannelID: "12015550142",
		UserID: "front_desk", Text: "Your appointment is on Monday.", CreatedAt: time.Now().Add(-72 * time.Hour),
		Custom: map[string]any{"sms_direction": "outbound", "sms_origin": "reminder", "sms_status": "delivered"}})
	a.reply("hello")
	inboundID := a.reply("C")
	rem, _ := a.stream.Message("reminder-old")
	in, ok := a.stream.Message(inboundID)
	if rem.Custom["sms_reply"] != nil || !ok || in.Custom["sms_reply_to"] != nil || in.Text != "C" {
		t.Errorf("reminder %v, inbound %+v: want stored, no answer", rem.Custom, in)
	}
}

func TestStopAndCancelOptOutAndNeverAnswer(t *testing.T) {
	a := startAPI(t)
	reminderID := a.sendReminder()
	for _, body := range []string{"CANCEL", "STOP"} {
		inboundID := a.reply(body)
		ch, _ := a.stream.Channel("sms", "12015550142")
		rem, _ := a.stream.Message(reminderID)
		in, _ := a.stream.Message(inboundID)
		if ch.Custom["sms_opted_out"] != true || rem.Custom["sms_reply"] != nil || in.Custom["sms_reply_to"] != nil {
			t.Errorf("%s: opted out %v, reply %v, reply_to %v", body, ch.Custom["sms_opted_out"], rem.Custom["sms_reply"], in.Custom["sms_reply_to"])
		}
	}
	a.reply("YES")
	ch, _ := a.stream.Channel("sms", "12015550142")
	rem, _ := a.stream.Message(reminderID)
	if ch.Custom["sms_opted_out"] != false || rem.Custom["sms_reply"] != "confirmed" {
		t.Errorf("YES: opted out %v, reply %v; want opted back in and confirmed", ch.Custom["sms_opted_out"], rem.Custom["sms_reply"])
	}
}

func fmtString(v any) string { s, _ := v.(string); return s }
