package adminapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestTheTemplateListShowsEachTemplateWithItsPlaceholders(t *testing.T) {
	v := newEnv(t)
	rec := v.do(http.MethodGet, "/reminder-templates", "", "Authorization", "Bearer "+adminToken(t, "front_desk"))
	want := `{"templates":[{"name":"appointment","text":"Hi {first_name}, see you on {date} at {time}.",` +
		`"placeholders":["first_name","date","time"]},{"name":"closed","text":"The clinic is closed today.","placeholders":[]}]}`
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != want {
		t.Errorf("got %d %s\nwant 200 %s", rec.Code, rec.Body, want)
	}
	if rec := v.do(http.MethodGet, "/reminder-templates", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("without a token: %d", rec.Code)
	}
}

func TestAReminderFromATemplateSendsTheFilledText(t *testing.T) {
	v := newEnv(t)
	rec := v.remind(adminToken(t, "front_desk"), `{"phoneNumber":"+1 201-555-0142","template":"appointment",`+
		`"params":{"first_name":"Ana","date":"May 6","time":"10:30","clinic":"unused"}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if got := v.reminders.got[0].Text; got != "Hi Ana, see you on May 6 at 10:30." {
		t.Errorf("text = %q", got)
	}
}

func TestEveryTemplateErrorIs400WithItsCodeAndNothingIsSent(t *testing.T) {
	for _, tc := range []struct{ name, body, wantCode, wantInError string }{
		{"an unknown template", `{"phoneNumber":"+12015550142","template":"birthday","params":{}}`,
			"unknown_template", "birthday"},
		{"a missing placeholder value", `{"phoneNumber":"+12015550142","template":"appointment","params":{"first_name":"Ana","date":"May 6"}}`,
			"missing_param", "{time}"},
		{"no params at all", `{"phoneNumber":"+12015550142","template":"appointment"}`, "missing_param", "{first_name}"},
		{"messageText and a template together", `{"phoneNumber":"+12015550142","messageText":"See you","template":"closed"}`,
			"text_and_template", "either messageText or a template"},
		{"a param that is not a string", `{"phoneNumber":"+12015550142","template":"closed","params":{"n":1}}`,
			"bad_json", "JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			rec := v.remind(adminToken(t, "front_desk"), tc.body)
			var body struct{ Code, Error string }
			_ = jsonDecode(rec, &body)
			if rec.Code != http.StatusBadRequest || body.Code != tc.wantCode || !strings.Contains(body.Error, tc.wantInError) {
				t.Errorf("got %d %s, want 400 %s naming %q", rec.Code, rec.Body, tc.wantCode, tc.wantInError)
			}
			if len(v.reminders.got) != 0 {
				t.Errorf("a reminder was sent")
			}
		})
	}
}

func TestAnIdempotencyKeyReusedWithOtherParamsIsRefused(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	body := `{"phoneNumber":"+12015550142","template":"appointment","params":{"first_name":"Ana","date":"May 6","time":"10:30"}}`
	send := func(body string) int {
		return v.do(http.MethodPost, "/send-reminder", body, "Authorization", "Bearer "+tok, "Idempotency-Key", "k-1").Code
	}
	if got := send(body); got != http.StatusOK {
		t.Fatalf("first: %d", got)
	}
	if got := send(body); got != http.StatusOK || len(v.reminders.got) != 1 {
		t.Errorf("repeat: %d, %d sent", got, len(v.reminders.got))
	}
	if got := send(strings.Replace(body, "10:30", "11:30", 1)); got != http.StatusUnprocessableEntity {
		t.Errorf("other params: %d, want 422", got)
	}
}
