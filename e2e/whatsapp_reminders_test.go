package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// waTemplates has the appointment reminder with its approved WhatsApp version.
const waTemplates = `templates:
  - name: appointment
    text: "Hi {first_name}, see you on {date} at {time}. Tap Confirm or Reschedule."
    whatsapp:
      content_sid: ` + waContentID + `
      variables: [first_name, date, time]
`

// startWhatsAppAPI is the API with a WhatsApp sender and waTemplates, and
// Twilio's copy of the approved template.
func startWhatsAppAPI(t *testing.T) *apiHarness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "templates.yaml")
	if err := os.WriteFile(path, []byte(waTemplates), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startAPI(t, withEnv("TWILIO_WHATSAPP_FROM", waClinic), withEnv("REMINDER_TEMPLATES", path))
	a.twilio.AddContent(waContentID, "Hi {{1}}, see you on {{2}} at {{3}}. Tap Confirm or Reschedule.")
	a.secret("Ana Lima", "Tap Confirm")
	return a
}

func waTemplateReminder() map[string]any {
	return map[string]any{"phoneNumber": "+12015550142", "medium": "whatsapp", "template": "appointment",
		"params": map[string]string{"first_name": "Ana Lima", "date": "May 6", "time": "10:30"}}
}

func TestAWhatsAppTemplateReminderSendsContentSidAndVariablesWithNoBody(t *testing.T) {
	noLeaks(t)
	a := startWhatsAppAPI(t)
	r := a.remind(a.token("front_desk"), waTemplateReminder())
	if r.Status != http.StatusOK {
		t.Fatalf("answer %d %s", r.Status, r.Body)
	}
	var got struct{ To, ChannelID, Medium string }
	_ = json.Unmarshal([]byte(r.Body), &got)
	if got.To != waPatient || got.ChannelID != waChannel || got.Medium != "whatsapp" {
		t.Errorf("answer %s", r.Body)
	}
	sent := a.twilio.MessagesTo(waPatient)
	// The fake refuses Body next to ContentSid, and renders the template.
	if len(sent) != 1 || sent[0].ContentSid != waContentID || sent[0].From != waClinic ||
		sent[0].Body != "Hi Ana Lima, see you on May 6 at 10:30. Tap Confirm or Reschedule." {
		t.Fatalf("sent %+v", sent)
	}
	// The mirror shows the text the template renders.
	msgs := a.stream.Messages("sms", waChannel)
	if len(msgs) != 1 || msgs[0].Text != sent[0].Body {
		t.Errorf("mirror %+v", msgs)
	}
}

func TestFreeTextToAWhatsAppPatientWhoNeverWroteIs409(t *testing.T) {
	a := startWhatsAppAPI(t)
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "+12015550142", "medium": "whatsapp",
		"messageText": "Your appointment is tomorrow at 10:30"})
	if r.Status != http.StatusConflict || apiErrorCode(r) != "whatsapp_template_required" || a.twilio.Calls() != 0 {
		t.Errorf("answer %d %s, Twilio calls %d", r.Status, r.Body, a.twilio.Calls())
	}
	// Within the window free text goes.
	assertTwiMLOK(t, a.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "Is tomorrow still on?"}))
	r = a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "+12015550142", "medium": "whatsapp",
		"messageText": "Yes, tomorrow at 10:30"})
	if r.Status != http.StatusOK || len(a.twilio.MessagesTo(waPatient)) != 1 {
		t.Errorf("within the window: %d %s", r.Status, r.Body)
	}
}

func TestAButtonTapAnswersTheWhatsAppReminder(t *testing.T) {
	a := startWhatsAppAPI(t)
	if r := a.remind(a.token("front_desk"), waTemplateReminder()); r.Status != http.StatusOK {
		t.Fatalf("answer %d %s", r.Status, r.Body)
	}
	reminder := a.stream.Messages("sms", waChannel)[0]
	assertTwiMLOK(t, a.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, ButtonPayload: "CONFIRM", ButtonText: "Confirm"}))
	if got, _ := a.stream.Message(reminder.ID); got.Custom["sms_reply"] != "confirmed" {
		t.Errorf("reminder marks %v, want sms_reply confirmed", got.Custom)
	}
}

func TestSTOPOnWhatsAppBlocksTheNextReminderAndSTARTReopens(t *testing.T) {
	a := startWhatsAppAPI(t)
	token := a.token("front_desk")
	assertTwiMLOK(t, a.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "STOP"}))
	if r := a.remind(token, waTemplateReminder()); r.Status != http.StatusConflict || apiErrorCode(r) != "opted_out" {
		t.Errorf("after STOP: %d %s", r.Status, r.Body)
	}
	assertTwiMLOK(t, a.receiveWhatsApp(twiliotest.WhatsAppMessage{ProfileName: waProfile, Body: "START"}))
	if r := a.remind(token, waTemplateReminder()); r.Status != http.StatusOK {
		t.Errorf("after START: %d %s", r.Status, r.Body)
	}
	if n := len(a.twilio.MessagesTo(waPatient)); n != 1 {
		t.Errorf("sent %d, want 1", n)
	}
}

func TestThePreviewSaysWhatsApp(t *testing.T) {
	a := startWhatsAppAPI(t)
	r := a.call("/sms-preview", map[string]any{"messageText": strings.Repeat("A long text. ", 20), "medium": "whatsapp"},
		"Authorization", "Bearer "+a.token("front_desk"))
	var got struct {
		Segments int
		Encoding string
		Medium   string
	}
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil || got.Medium != "whatsapp" || got.Encoding != "whatsapp" || got.Segments != 1 {
		t.Errorf("preview %d %s", r.Status, r.Body)
	}
}
