package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// quietNowInNewYork is a QUIET_HOURS window from two hours before to two
// hours after the present New York wall-clock time: the service runs on the
// real clock, so the window is placed around it. (Daylight-saving changes
// are crossed with an injected clock in the quiethours and bridge tests.)
func quietNowInNewYork(t *testing.T) (window string, ends time.Time) {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(ny).Truncate(time.Minute)
	from, to := now.Add(-2*time.Hour), now.Add(2*time.Hour)
	return from.Format("15:04") + "-" + to.Format("15:04"), to
}

type quietAnswer struct {
	Code, NextAllowedAt, Status, SendAt string
}

func decodeQuiet(t *testing.T, r response) quietAnswer {
	t.Helper()
	var q quietAnswer
	if err := json.Unmarshal([]byte(r.Body), &q); err != nil {
		t.Fatalf("answer %d %s: %v", r.Status, r.Body, err)
	}
	return q
}

func TestQuietHoursRefuseOrScheduleByThePatientsZone(t *testing.T) {
	window, ends := quietNowInNewYork(t)
	a := startAPI(t, withEnv("QUIET_HOURS", window), withEnv("TWILIO_MESSAGING_SERVICE_SID", messagingSID))
	tok := a.token("front_desk")
	text := "Your appointment is tomorrow at 10:00."

	r := a.remind(tok, map[string]any{"phoneNumber": reminderPatient, "messageText": text})
	q := decodeQuiet(t, r)
	next, err := time.Parse(time.RFC3339, q.NextAllowedAt)
	if r.Status != http.StatusConflict || q.Code != "quiet_hours" || err != nil || !next.Equal(ends) {
		t.Fatalf("in quiet hours: %d %s, want 409 quiet_hours with nextAllowedAt %s", r.Status, r.Body, ends.UTC().Format(time.RFC3339))
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
	if _, ok := a.stream.Channel("sms", "12015550142"); ok {
		t.Errorf("a channel was created for a refused reminder")
	}

	r = a.remind(tok, map[string]any{"phoneNumber": reminderPatient, "messageText": text,
		"sendAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	if q := decodeQuiet(t, r); r.Status != http.StatusBadRequest || q.Code != "send_at_quiet_hours" || q.NextAllowedAt == "" {
		t.Errorf("sendAt tomorrow at this time: %d %s, want 400 send_at_quiet_hours", r.Status, r.Body)
	}

	r = a.remind(tok, map[string]any{"phoneNumber": reminderPatient, "messageText": text, "whenAllowed": true})
	q = decodeQuiet(t, r)
	sent := a.twilio.MessagesTo(reminderPatient)
	if r.Status != http.StatusOK || q.Status != "scheduled" || q.SendAt != ends.UTC().Format(time.RFC3339) ||
		len(sent) != 1 || !sent[0].SendAt.Equal(ends) || sent[0].ScheduleType != "fixed" {
		t.Fatalf("whenAllowed: %d %s, Twilio %+v; want scheduled for %s", r.Status, r.Body, sent, ends)
	}

	// Five hours later on the wall clock, London is outside the same window.
	londoner := "+44 20 7946 0123"
	a.secret("2079460123")
	r = a.remind(tok, map[string]any{"phoneNumber": londoner, "messageText": text})
	if q := decodeQuiet(t, r); r.Status != http.StatusOK || q.Status == "scheduled" || q.SendAt != "" {
		t.Errorf("London: %d %s, want sent now", r.Status, r.Body)
	}
}

func TestWhenAllowedWithoutAMessagingServiceIs400AndSendsNothing(t *testing.T) {
	window, _ := quietNowInNewYork(t)
	a := startAPI(t, withEnv("QUIET_HOURS", window))
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": reminderPatient,
		"messageText": "Your appointment is tomorrow at 10:00.", "whenAllowed": true})
	if r.Status != http.StatusBadRequest || apiErrorCode(r) != "scheduling_unavailable" {
		t.Errorf("got %d %s, want 400 scheduling_unavailable", r.Status, r.Body)
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
}
