package adminapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestThePreviewCountsTypedAndTemplateTextAsTheSendWould(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	for _, tc := range []struct{ name, body, want string }{
		{"160 plain characters are one GSM-7 segment", `{"messageText":"` + strings.Repeat("a", 160) + `"}`,
			`{"characters":160,"segments":1,"encoding":"GSM-7","medium":"sms"}`},
		{"a euro sign counts two", `{"messageText":"` + strings.Repeat("a", 159) + `€"}`,
			`{"characters":161,"segments":2,"encoding":"GSM-7","medium":"sms"}`},
		{"an emoji makes it UCS-2 and counts two", `{"messageText":"See you 😀"}`,
			`{"characters":10,"segments":1,"encoding":"UCS-2","medium":"sms"}`},
		{"a template is counted filled", `{"template":"appointment","params":{"first_name":"Ana","date":"May 6","time":"10:30"}}`,
			`{"characters":34,"segments":1,"encoding":"GSM-7","medium":"sms"}`},
		{"an empty text is one segment", `{"messageText":""}`, `{"characters":0,"segments":1,"encoding":"GSM-7","medium":"sms"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := v.do(http.MethodPost, "/sms-preview", tc.body, "Authorization", "Bearer "+tok)
			if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != tc.want {
				t.Errorf("got %d %s, want %s", rec.Code, rec.Body, tc.want)
			}
		})
	}
	if rec := v.do(http.MethodPost, "/sms-preview", `{"template":"appointment"}`, "Authorization", "Bearer "+tok); rec.Code != 400 ||
		!strings.Contains(rec.Body.String(), "missing_param") {
		t.Errorf("a template error: %d %s", rec.Code, rec.Body)
	}
	if len(v.reminders.got) != 0 {
		t.Errorf("a preview sent a reminder")
	}
}

func TestAReminderAnswerCarriesItsSegmentsAndEncodingAlsoWhenReplayed(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	body := `{"phoneNumber":"+12015550142","messageText":"` + strings.Repeat("é", 70) + `ő"}`
	for range 2 {
		rec := v.do(http.MethodPost, "/send-reminder", body, "Authorization", "Bearer "+tok, "Idempotency-Key", "seg-1")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"segments":2,"encoding":"UCS-2"`) {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	}
	if len(v.reminders.got) != 1 {
		t.Errorf("%d sent, want 1", len(v.reminders.got))
	}
}
