package adminapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

func quietHoursError() error {
	return &bridge.Error{Kind: bridge.ErrQuietHours, Code: "quiet_hours", Message: "It is quiet hours for the patient.",
		NextAllowedAt: time.Date(2030, 5, 7, 12, 0, 0, 0, time.UTC)}
}

func TestAQuietHoursRefusalIs409WithNextAllowedAtAndIsNotKeptForTheKey(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	send := func() *codeBody {
		rec := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Idempotency-Key", "q-1")
		return &codeBody{rec.Code, rec.Body.String()}
	}
	v.reminders.err = quietHoursError()
	want := `{"error":"It is quiet hours for the patient.","code":"quiet_hours","nextAllowedAt":"2030-05-07T12:00:00Z"}`
	if got := send(); got.code != http.StatusConflict || strings.TrimSpace(got.body) != want {
		t.Fatalf("got %d %s, want 409 %s", got.code, got.body, want)
	}
	// In the morning the same request with the same key is sent.
	v.reminders.err = nil
	if got := send(); got.code != http.StatusOK {
		t.Errorf("after quiet hours: %d %s", got.code, got.body)
	}
}

type codeBody struct {
	code int
	body string
}

func TestWhenAllowedReachesTheReminderAndAScheduledAnswerSaysWhen(t *testing.T) {
	v := newEnv(t)
	v.reminders.res.SendAt = time.Date(2030, 5, 7, 12, 0, 0, 0, time.UTC)
	v.reminders.res.Status = "scheduled"
	rec := v.remind(adminToken(t, "front_desk"), `{"phoneNumber":"+12015550142","messageText":"See you","whenAllowed":true}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"status":"scheduled"`) ||
		!strings.Contains(rec.Body.String(), `"sendAt":"2030-05-07T12:00:00Z"`) {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	if !v.reminders.got[0].WhenAllowed {
		t.Errorf("whenAllowed did not reach the reminder: %+v", v.reminders.got[0])
	}
}
