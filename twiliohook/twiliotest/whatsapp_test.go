package twiliotest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const (
	waClinic  = "whatsapp:+12015550100"
	waPatient = "whatsapp:+12015550142"
	content   = "HX0123456789abcdef0123456789abcdef"
)

func newWhatsAppNetwork(t *testing.T, fake *twiliotest.Server, a *app) *twiliotest.Network {
	t.Helper()
	n := fake.NewNetwork(twiliotest.NetworkOptions{Number: clinic, WhatsAppNumber: waClinic,
		IncomingURL: a.srv.URL + "/receive-sms", Step: 10 * time.Millisecond})
	t.Cleanup(n.Close)
	return n
}

func sendWhatsApp(t *testing.T, fake *twiliotest.Server, a *app, p *openapi.CreateMessageParams) (string, error) {
	t.Helper()
	p.SetTo(waPatient).SetFrom(waClinic).SetStatusCallback(a.srv.URL + "/twilio-status?mid=m1")
	m, err := newAPI(t, fake, testToken).CreateMessage(p)
	if err != nil {
		return "", err
	}
	return *m.Sid, nil
}

func TestAWhatsAppMessageCarriesTheProfileNameAndNoSTOPFiltering(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	n := newWhatsAppNetwork(t, fake, a)
	sid, res := n.WhatsApp(context.Background(), twiliotest.WhatsAppMessage{From: waPatient, ProfileName: "Dana", Body: "STOP"})
	if res.HTTP != 200 {
		t.Fatalf("webhook = %+v", res)
	}
	f, _ := a.request(0)
	for k, want := range map[string]string{"From": waPatient, "To": waClinic, "ProfileName": "Dana", "WaId": "12015550142",
		"MessageType": "text", "Body": "STOP", "MessageSid": sid} {
		if f.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, f.Get(k), want)
		}
	}
	if f.Has("FromCountry") {
		t.Errorf("a WhatsApp webhook has no geographic fields: %v", f)
	}
	// Twilio does not filter STOP on WhatsApp: a reply still goes out.
	if _, err := sendWhatsApp(t, fake, a, (&openapi.CreateMessageParams{}).SetBody("Noted")); err != nil {
		t.Errorf("a reply after STOP on WhatsApp was refused: %v", err)
	}
}

func TestAButtonTapCarriesItsPayloadAndTitle(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	n := newWhatsAppNetwork(t, fake, a)
	n.WhatsApp(context.Background(), twiliotest.WhatsAppMessage{From: waPatient, ButtonPayload: "CONFIRM", ButtonText: "Confirm"})
	f, _ := a.request(0)
	if f.Get("MessageType") != "button" || f.Get("ButtonPayload") != "CONFIRM" || f.Get("ButtonText") != "Confirm" || f.Get("Body") != "Confirm" {
		t.Errorf("form = %v", f)
	}
}

func TestAFreeFormMessageWithinTheWindowIsDeliveredThenRead(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	n := newWhatsAppNetwork(t, fake, a)
	n.WhatsApp(context.Background(), twiliotest.WhatsAppMessage{From: waPatient, Body: "Hi"})
	sid, err := sendWhatsApp(t, fake, a, (&openapi.CreateMessageParams{}).SetBody("Hello Dana"))
	if err != nil {
		t.Fatal(err)
	}
	waitStatuses(t, a, sid, []string{"queued ", "sent ", "delivered ", "read "})
}

func TestAFreeFormMessageOutsideTheWindowFailsWith63016InTheCallback(t *testing.T) {
	for name, last := range map[string]time.Time{"a user who wrote 25 hours ago": time.Now().Add(-25 * time.Hour), "a user who never wrote": {}} {
		t.Run(name, func(t *testing.T) {
			fake, a := newFake(t), newApp(t)
			newWhatsAppNetwork(t, fake, a)
			if !last.IsZero() {
				fake.SetLastInbound(waPatient, last)
			}
			sid, err := sendWhatsApp(t, fake, a, (&openapi.CreateMessageParams{}).SetBody("Are you coming?"))
			if err != nil {
				t.Fatalf("Twilio accepts the send and fails it later; got %v", err)
			}
			waitStatuses(t, a, sid, []string{"queued ", "failed 63016"})
			if m, _ := fake.Message(sid); m.Status != "failed" || m.ErrorCode != 63016 {
				t.Errorf("message = %+v", m)
			}
		})
	}
}

func TestATemplateGoesOutsideTheWindowWithItsVariablesRendered(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	newWhatsAppNetwork(t, fake, a)
	fake.AddContent(content, "Hi {{1}}, your appointment is at {{2}}. Reply C to confirm.")
	sid, err := sendWhatsApp(t, fake, a, (&openapi.CreateMessageParams{}).SetContentSid(content).
		SetContentVariables(`{"1":"Dana","2":"3pm"}`))
	if err != nil {
		t.Fatal(err)
	}
	waitStatuses(t, a, sid, []string{"queued ", "sent ", "delivered ", "read "})
	m, _ := fake.Message(sid)
	if m.Body != "Hi Dana, your appointment is at 3pm. Reply C to confirm." || m.ContentSid != content {
		t.Errorf("message = %+v", m)
	}
}

func TestTemplateMistakesAreRefused(t *testing.T) {
	tests := []struct {
		name     string
		params   *openapi.CreateMessageParams
		code     int
		violates string // what the fake reports as misuse, "" for a plain Twilio error
	}{
		{"an unknown ContentSid is 21655", (&openapi.CreateMessageParams{}).SetContentSid("HXffffffffffffffffffffffffffffffff"), 21655, ""},
		{"variables that are not a JSON object are 21656", (&openapi.CreateMessageParams{}).SetContentSid(content).SetContentVariables(`["Dana"]`), 21656, ""},
		{"a missing variable is misuse", (&openapi.CreateMessageParams{}).SetContentSid(content).SetContentVariables(`{"1":"Dana"}`), 20001, "no value for {{2}}"},
		{"Body with a template is misuse", (&openapi.CreateMessageParams{}).SetContentSid(content).SetContentVariables(`{"1":"a","2":"b"}`).SetBody("Hi"), 20001, "Body or MediaUrl with ContentSid"},
		{"variables without a template are misuse", (&openapi.CreateMessageParams{}).SetBody("Hi").SetContentVariables(`{"1":"a"}`), 20001, "without ContentSid"},
		{"a malformed ContentSid breaks the spec", (&openapi.CreateMessageParams{}).SetContentSid("HX123"), 20001, "violates the Twilio API spec"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, rec := newRecordingFake(t)
			a := newApp(t)
			fake.AddContent(content, "Hi {{1}}, see you at {{2}}")
			_, err := sendWhatsApp(t, fake, a, tc.params)
			if re := restError(t, err); re.Code != tc.code {
				t.Errorf("code = %d, want %d", re.Code, tc.code)
			}
			got := strings.Join(rec.reports(), "\n")
			if tc.violates == "" && got != "" || tc.violates != "" && !strings.Contains(got, tc.violates) {
				t.Errorf("reports = %q, want %q", got, tc.violates)
			}
			if len(fake.Messages()) != 0 {
				t.Errorf("a refused send was recorded: %+v", fake.Messages())
			}
		})
	}
}
