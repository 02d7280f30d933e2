package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clinicTemplates is the REMINDER_TEMPLATES file of these tests.
const clinicTemplates = `templates:
  - name: appointment
    text: "Hi {first_name}, this is {clinic}: see you on {date} at {time}. Reply C to confirm or R to reschedule."
`

func withTemplates(t *testing.T) option {
	path := filepath.Join(t.TempDir(), "templates.yaml")
	if err := os.WriteFile(path, []byte(clinicTemplates), 0o600); err != nil {
		t.Fatal(err)
	}
	return withEnv("REMINDER_TEMPLATES", path)
}

// get sends an authenticated GET and checks the answer against the document.
func (a *apiHarness) get(path, token string) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.urls[0]+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err := a.spec.Check(http.MethodGet, path, resp.StatusCode, resp.Header, body); err != nil {
		a.t.Error(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

func TestAReminderFromATemplateIsSentFilledAndTheListShowsIt(t *testing.T) {
	a := startAPI(t, withTemplates(t))
	tok := a.token("front_desk")
	list := a.get("/reminder-templates", tok)
	if list.Status != http.StatusOK || !strings.Contains(list.Body, `"placeholders":["first_name","clinic","date","time"]`) {
		t.Fatalf("list: %d %s", list.Status, list.Body)
	}
	r := a.remind(tok, map[string]any{"phoneNumber": "(201) 555-0142", "template": "appointment",
		"params": map[string]string{"first_name": "Ana", "clinic": "Elm Street Clinic", "date": "May 6", "time": "10:30"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"segments":1,"encoding":"GSM-7"`) {
		t.Fatalf("answer: %d %s", r.Status, r.Body)
	}
	want := "Hi Ana, this is Elm Street Clinic: see you on May 6 at 10:30. Reply C to confirm or R to reschedule."
	a.secret(want)
	if sent := a.twilio.MessagesTo(reminderPatient); len(sent) != 1 || sent[0].Body != want {
		t.Errorf("Twilio messages = %+v", sent)
	}
	if msgs := a.stream.Messages("sms", "12015550142"); len(msgs) != 1 || msgs[0].Text != want {
		t.Errorf("channel messages = %+v", msgs)
	}
}

func TestEveryTemplateErrorIs400AndSendsNothing(t *testing.T) {
	a := startAPI(t, withTemplates(t))
	tok := a.token("front_desk")
	full := map[string]string{"first_name": "Ana", "clinic": "Elm", "date": "May 6", "time": "10:30"}
	noTime := map[string]string{"first_name": "Ana", "clinic": "Elm", "date": "May 6"}
	for _, tc := range []struct {
		name     string
		body     map[string]any
		wantCode string
	}{
		{"an unknown template", map[string]any{"phoneNumber": reminderPatient, "template": "birthday", "params": full}, "unknown_template"},
		{"a missing placeholder value", map[string]any{"phoneNumber": reminderPatient, "template": "appointment", "params": noTime}, "missing_param"},
		{"text and a template", map[string]any{"phoneNumber": reminderPatient, "template": "appointment", "params": full,
			"messageText": "See you"}, "text_and_template"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.remind(tok, tc.body)
			if r.Status != http.StatusBadRequest || apiErrorCode(r) != tc.wantCode {
				t.Errorf("got %d %s, want 400 %s", r.Status, r.Body, tc.wantCode)
			}
		})
	}
	var body struct{ Error string }
	r := a.remind(tok, map[string]any{"phoneNumber": reminderPatient, "template": "appointment", "params": noTime})
	if _ = json.Unmarshal([]byte(r.Body), &body); !strings.Contains(body.Error, "{time}") {
		t.Errorf("missing_param does not name the placeholder: %s", r.Body)
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
	if _, ok := a.stream.Channel("sms", "12015550142"); ok {
		t.Errorf("a channel was created")
	}
}

func TestThePreviewCostsATemplatedTextWithoutSendingIt(t *testing.T) {
	a := startAPI(t, withTemplates(t))
	tok := a.token("front_desk")
	r := a.call("/sms-preview", map[string]any{"template": "appointment",
		"params": map[string]string{"first_name": "Zoë", "clinic": "Elm Street Clinic 😀", "date": "May 6", "time": "10:30"}},
		"Authorization", "Bearer "+tok)
	// 102 characters, the emoji 2 units: 103 UCS-2 units, over 70, so 2 segments.
	if want := `{"characters":103,"segments":2,"encoding":"UCS-2","medium":"sms"}`; r.Status != http.StatusOK || strings.TrimSpace(r.Body) != want {
		t.Errorf("got %d %s, want %s", r.Status, r.Body, want)
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
}
