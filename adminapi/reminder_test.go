package adminapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestAReminderAnswersWithWhatWasSentWhere(t *testing.T) {
	v := newEnv(t)
	rec := v.remind(adminToken(t, "dr_lee"), reminderBody)
	want := `{"sent":true,"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","to":"+12015550142","channelId":"12015550142","segments":1,"encoding":"GSM-7","medium":"sms"}`
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != want {
		t.Fatalf("got %d %s, want 200 %s", rec.Code, rec.Body, want)
	}
	got := v.reminders.got[0]
	if got.AdminID != "dr_lee" || got.To.Raw() != "+12015550142" || got.Text != "See you tomorrow at 10" || !got.SendAt.IsZero() {
		t.Errorf("reminder = %+v", got)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
}

func TestSendAtIsReadAsRFC3339(t *testing.T) {
	v := newEnv(t)
	body := `{"phoneNumber":"+1 201-555-0142","messageText":"See you tomorrow","sendAt":"2030-05-06T07:00:00-04:00"}`
	if rec := v.remind(adminToken(t, "front_desk"), body); rec.Code != http.StatusOK {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if got := v.reminders.got[0].SendAt; !got.Equal(start.Add(2 * time.Hour)) {
		t.Errorf("SendAt = %v", got)
	}
}

func TestBadReminderRequestsAre400BeforeAnythingIsSent(t *testing.T) {
	for _, tc := range []struct {
		name, body, wantCode string
	}{
		{"a number that is not valid", `{"phoneNumber":"+1 555-555-0142","messageText":"See you tomorrow"}`, "invalid_phone"},
		{"letters for a number", `{"phoneNumber":"call me","messageText":"See you tomorrow"}`, "invalid_phone"},
		{"no number", `{"messageText":"See you tomorrow"}`, "invalid_phone"},
		{"a sendAt that is not RFC 3339", `{"phoneNumber":"(201) 555-0142","messageText":"See you tomorrow","sendAt":"tomorrow 10am"}`, "invalid_send_at"},
		{"a body that is not JSON", `phoneNumber=2015550142`, "bad_json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			rec := v.remind(adminToken(t, "front_desk"), tc.body)
			var body struct{ Code string }
			_ = jsonDecode(rec, &body)
			if rec.Code != http.StatusBadRequest || body.Code != tc.wantCode {
				t.Errorf("got %d %s, want 400 %s", rec.Code, rec.Body, tc.wantCode)
			}
			if len(v.reminders.got) != 0 {
				t.Errorf("a reminder was sent")
			}
		})
	}
}

func TestReminderFailuresKeepTheirStatusAndCode(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
	}{
		{"an opted-out channel is 409 opted_out", bridge.Errorf(bridge.ErrOptedOut, "opted_out", "Opted out."), 409, "opted_out"},
		{"Twilio's opt-out refusal is 409 with its code", &bridge.Error{Kind: bridge.ErrOptedOut, Code: "21610", Message: "x"}, 409, "21610"},
		{"Twilio's invalid-number refusal is 400 with its code", &bridge.Error{Kind: bridge.ErrInvalid, Code: "21211", Message: "x"}, 400, "21211"},
		{"another Twilio refusal is 502 with its code", &bridge.Error{Kind: bridge.ErrUpstream, Code: "21408", Message: "x"}, 502, "21408"},
		{"an empty text is 400", bridge.Errorf(bridge.ErrInvalid, "empty_text", "Empty."), 400, "empty_text"},
		{"an outage is 503", fmt.Errorf("post reminder: %w", bridge.ErrUnavailable), 503, "unavailable"},
		{"a bug is 500", errors.New("boom"), 500, "internal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			v.reminders.err = tc.err
			rec := v.remind(adminToken(t, "front_desk"), reminderBody)
			var body struct{ Code string }
			_ = jsonDecode(rec, &body)
			if rec.Code != tc.wantStatus || body.Code != tc.wantCode {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestOversizedReminderBodiesAre413(t *testing.T) {
	v := newEnv(t)
	body := `{"phoneNumber":"(201) 555-0142","messageText":"` + strings.Repeat("a", 64<<10) + `"}`
	if rec := v.remind(adminToken(t, "front_desk"), body); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d", rec.Code)
	}
}
