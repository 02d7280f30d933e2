package twiliohook_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/twiliohook"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// recordingRelay keeps the inbound messages the handler hands the bridge.
type recordingRelay struct{ got []bridge.InboundSMS }

func (r *recordingRelay) Relay(_ context.Context, sms bridge.InboundSMS) (bridge.InboundResult, error) {
	r.got = append(r.got, sms)
	return bridge.InboundResult{Outcome: bridge.OutcomeStored}, nil
}

func TestAWhatsAppWebhookKeepsTheProfileNameAndButtonAndLogsNeither(t *testing.T) {
	const base = "https://smsbridge.example.org"
	form := twiliotest.InboundWhatsApp(sid, "SM0123456789abcdef0123456789abcdef", "whatsapp:+12015550100", twiliotest.WhatsAppMessage{
		From: "whatsapp:+12015550142", ProfileName: "Dana Quinlan", Body: "Confirm", ButtonPayload: "CONFIRM", ButtonText: "Confirm",
	})
	req, err := twiliotest.NewSignedRequest(token, base, "http://127.0.0.1", "/receive-sms", form)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	req = req.WithContext(zerolog.New(&logs).WithContext(req.Context()))
	relay := &recordingRelay{}
	e := echo.New()
	e.POST("/receive-sms", twiliohook.NewInbound(twiliohook.NewVerifier(token, base), relay, metrics.New()).Handle)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || len(relay.got) != 1 {
		t.Fatalf("answer %d %s, relayed %d", rec.Code, rec.Body, len(relay.got))
	}
	got := relay.got[0]
	if got.From.Raw() != "whatsapp:+12015550142" || got.ProfileName != "Dana Quinlan" ||
		got.ButtonPayload != "CONFIRM" || got.ButtonText != "Confirm" || got.Body != "Confirm" {
		t.Errorf("relayed %+v", got)
	}
	for _, secret := range []string{"2015550142", "Dana", "Quinlan", "Confirm", "CONFIRM"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log carries %q: %s", secret, logs.String())
		}
	}
}

func newWhatsAppSender(t *testing.T, whatsAppFrom string) (*twiliohook.Sender, *twiliotest.Server) {
	t.Helper()
	fake := twiliotest.NewServer(twiliotest.Options{AccountSID: sid, AuthToken: token, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	return twiliohook.NewSender(twiliohook.SenderOptions{
		AccountSID: sid, AuthToken: token, From: "+12015550100", WhatsAppFrom: whatsAppFrom, BaseURL: fake.URL(),
	}), fake
}

func TestAReplyToAWhatsAppAddressGoesFromTheWhatsAppSender(t *testing.T) {
	s, fake := newWhatsAppSender(t, "whatsapp:+12015550100")
	fake.SetLastInbound("whatsapp:+12015550142", time.Now())
	if _, err := s.Send(context.Background(), bridge.OutboundMessage{To: bridge.SenderPhone("whatsapp:+12015550142"), Body: "See you at 3pm"}); err != nil {
		t.Fatal(err)
	}
	m := fake.Messages()[0]
	if m.To != "whatsapp:+12015550142" || m.From != "whatsapp:+12015550100" || m.Body != "See you at 3pm" {
		t.Errorf("message %+v", m)
	}
	// An SMS still goes from the SMS number.
	if _, err := s.Send(context.Background(), bridge.OutboundMessage{To: to(t, "+12015550123"), Body: "hi"}); err != nil {
		t.Fatal(err)
	}
	if m := fake.Messages()[1]; m.From != "+12015550100" {
		t.Errorf("SMS from %q", m.From)
	}
}

func TestATemplateIsSentAsContentSidAndVariablesWithNoBody(t *testing.T) {
	s, fake := newWhatsAppSender(t, "whatsapp:+12015550100")
	fake.AddContent("HX0123456789abcdef0123456789abcdef", "Hi {{1}}, see you at {{2}}.")
	_, err := s.Send(context.Background(), bridge.OutboundMessage{
		To: bridge.SenderPhone("whatsapp:+12015550142"), Body: "Hi Dana, see you at 3pm.",
		ContentSid: "HX0123456789abcdef0123456789abcdef", ContentVariables: map[string]string{"1": "Dana", "2": "3pm"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := fake.Messages()[0]
	if m.ContentSid != "HX0123456789abcdef0123456789abcdef" || m.Body != "Hi Dana, see you at 3pm." {
		t.Errorf("message %+v (the fake refuses a Body sent next to ContentSid)", m)
	}
}

func TestWithoutAWhatsAppSenderNothingIsSent(t *testing.T) {
	s, fake := newWhatsAppSender(t, "")
	_, err := s.Send(context.Background(), bridge.OutboundMessage{To: bridge.SenderPhone("whatsapp:+12015550142"), Body: "hi"})
	var be *bridge.Error
	if !errors.As(err, &be) || be.Code != "no_whatsapp_sender" || fake.Calls() != 0 {
		t.Errorf("err = %v, calls = %d", err, fake.Calls())
	}
}

func TestTheLogKeepsTheWhatsAppSendersMessages(t *testing.T) {
	fake := twiliotest.NewServer(twiliotest.Options{AccountSID: sid, AuthToken: token, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	o := twiliohook.SenderOptions{AccountSID: sid, AuthToken: token, From: clinicNumber, WhatsAppFrom: "whatsapp:+12015550100", BaseURL: fake.URL()}
	in := fake.AddInbound(twiliotest.Message{From: "whatsapp:+12015550142", To: "whatsapp:+12015550100", Body: "hi"})
	fake.AddInbound(twiliotest.Message{From: "whatsapp:+12015550143", To: "whatsapp:+12015550199", Body: "another business"})
	fake.SetLastInbound("whatsapp:+12015550142", time.Now())
	r, err := twiliohook.NewSender(o).Send(context.Background(), bridge.OutboundMessage{To: bridge.SenderPhone("whatsapp:+12015550142"), Body: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	fake.SetStatus(r.Sid, "read", 0)
	got, err := twiliohook.NewLog(o, twiliohook.ClinicSenders{Numbers: []string{clinicNumber, "whatsapp:+12015550100"}}, 0).Messages(context.Background(), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Sid != in || !got[0].Inbound || got[0].Patient.Raw() != "whatsapp:+12015550142" ||
		got[1].Sid != r.Sid || got[1].Patient.Raw() != "whatsapp:+12015550142" || got[1].Status != "read" {
		t.Errorf("listed %+v", got)
	}
}
