package twiliohook_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/twiliohook"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const (
	clinicNumber = "+12015550100"
	otherNumber  = "+12015550199" // another app's number on the same account
	service      = "MG0123456789abcdef0123456789abcdef"
)

func newLog(t *testing.T, from, msid string, pageSize int) (*twiliohook.Log, *twiliotest.Server) {
	t.Helper()
	var senders twiliohook.ClinicSenders
	if from != "" {
		senders.Numbers = []string{from}
	}
	if msid != "" {
		senders.Services = []string{msid}
	}
	return newLogOf(t, senders, pageSize)
}

func newLogOf(t *testing.T, senders twiliohook.ClinicSenders, pageSize int) (*twiliohook.Log, *twiliotest.Server) {
	t.Helper()
	fake := twiliotest.NewServer(twiliotest.Options{AccountSID: sid, AuthToken: token, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	return twiliohook.NewLog(twiliohook.SenderOptions{AccountSID: sid, AuthToken: token, BaseURL: fake.URL()}, senders, pageSize), fake
}

func sids(msgs []bridge.LoggedSMS) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Sid)
	}
	slices.Sort(out)
	return out
}

func TestLogKeepsTheClinicsMessagesAcrossPages(t *testing.T) {
	tests := []struct {
		name, from, service string
		want                []string // keys of the messages below
	}{
		{"with a from-number: messages to and from it", clinicNumber, "", []string{"in", "out"}},
		{"with a Messaging Service: messages of the service", "", service, []string{"in-service", "out-service"}},
		{"with both: either", clinicNumber, service, []string{"in", "in-service", "out", "out-service"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, fake := newLog(t, tt.from, tt.service, 2)
			all := map[string]string{
				"in":          fake.AddInbound(twiliotest.Message{From: "+12015550123", To: clinicNumber, Body: "hello"}),
				"in-service":  fake.AddInbound(twiliotest.Message{From: "+12015550124", To: "+12015550101", MessagingServiceSid: service, Body: "hi"}),
				"in-other":    fake.AddInbound(twiliotest.Message{From: "+12015550125", To: otherNumber, Body: "not ours"}),
				"out":         sendVia(t, fake, twiliohook.SenderOptions{From: clinicNumber}, "delivered"),
				"out-service": sendVia(t, fake, twiliohook.SenderOptions{MessagingServiceSID: service}, "sent"),
				"out-other":   sendVia(t, fake, twiliohook.SenderOptions{From: otherNumber}, "sent"),
			}
			got, err := log.Messages(context.Background(), time.Now().Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, k := range tt.want {
				want = append(want, all[k])
			}
			slices.Sort(want)
			if !slices.Equal(sids(got), want) {
				t.Errorf("listed %v, want %v", sids(got), want)
			}
		})
	}
}

func TestOneLogCoversEveryLocationsNumbersAndServicesAndNamesEachMessagesClinicNumber(t *testing.T) {
	const north, south, southService = clinicNumber, "+12015550101", "MG00000000000000000000000000000002"
	log, fake := newLogOf(t, twiliohook.ClinicSenders{Numbers: []string{north, south}, Services: []string{southService}}, 2)
	in := map[string]string{
		fake.AddInbound(twiliotest.Message{From: "+12015550123", To: north, Body: "north"}):                                            north,
		fake.AddInbound(twiliotest.Message{From: "+12015550123", To: south, Body: "south"}):                                            south,
		fake.AddInbound(twiliotest.Message{From: "+12015550124", To: "+12015550103", MessagingServiceSid: southService, Body: "pool"}): "+12015550103",
	}
	fake.AddInbound(twiliotest.Message{From: "+12015550125", To: otherNumber, Body: "not ours"})
	out := map[string]string{
		sendVia(t, fake, twiliohook.SenderOptions{From: north}, "delivered"): north,
		sendVia(t, fake, twiliohook.SenderOptions{From: south}, "sent"):      south,
	}
	sendVia(t, fake, twiliohook.SenderOptions{From: otherNumber}, "sent")
	got, err := log.Messages(context.Background(), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(in)+len(out) {
		t.Fatalf("listed %d messages, want the %d of the two locations: %v", len(got), len(in)+len(out), sids(got))
	}
	for _, m := range got {
		want, inbound := in[m.Sid]
		if !inbound {
			want = out[m.Sid]
		}
		if m.Inbound != inbound || m.Clinic != want {
			t.Errorf("%s: inbound %v, clinic number %s; want %v, %s", m.Sid, m.Inbound, m.Clinic, inbound, want)
		}
		if wantService := map[bool]string{true: southService}[m.Clinic == "+12015550103"]; m.ServiceSID != wantService {
			t.Errorf("%s: service %q, want %q", m.Sid, m.ServiceSID, wantService)
		}
	}
}

// sendVia sends a message through the fake as a Sender with o's sender
// settings would, and lets the carrier report status. It returns the sid.
func sendVia(t *testing.T, fake *twiliotest.Server, o twiliohook.SenderOptions, status string) string {
	t.Helper()
	o.AccountSID, o.AuthToken, o.BaseURL = sid, token, fake.URL()
	r, err := twiliohook.NewSender(o).Send(context.Background(), bridge.OutboundMessage{To: to(t, "+12015550127"), Body: "See you at 3pm"})
	if err != nil {
		t.Fatal(err)
	}
	fake.SetStatus(r.Sid, status, 0)
	return r.Sid
}

func TestLoggedMessagesCarryWhatReconcilingNeeds(t *testing.T) {
	log, fake := newLog(t, clinicNumber, "", 0)
	sent := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Second)
	in := fake.AddInbound(twiliotest.Message{From: "+12015550123", To: clinicNumber, Body: "photo attached",
		DateCreated: sent, Media: []twiliotest.Media{{ContentType: "image/png"}}})
	got, err := log.Messages(context.Background(), sent.Add(-time.Minute))
	if err != nil || len(got) != 1 {
		t.Fatalf("Messages = %+v, %v", got, err)
	}
	m := got[0]
	if m.Sid != in || !m.Inbound || m.Patient.Raw() != "+12015550123" || m.Body != "photo attached" ||
		m.NumMedia != 1 || m.Status != "received" || !m.SentAt.Equal(sent) {
		t.Errorf("logged = %+v", m)
	}
	media, err := log.Media(context.Background(), in)
	form := fake.InboundWebhookFor(in)
	if err != nil || len(media) != 1 || media[0].URL != form.Get("MediaUrl0") || media[0].ContentType != form.Get("MediaContentType0") {
		t.Errorf("media = %+v, %v; webhook says %s (%s)", media, err, form.Get("MediaUrl0"), form.Get("MediaContentType0"))
	}
}

func TestMessagesOlderThanTheWindowAreNotListed(t *testing.T) {
	log, fake := newLog(t, clinicNumber, "", 0)
	fake.AddInbound(twiliotest.Message{From: "+12015550123", To: clinicNumber, Body: "old", DateCreated: time.Now().Add(-48 * time.Hour)})
	got, err := log.Messages(context.Background(), time.Now().Add(-24*time.Hour))
	if err != nil || len(got) != 0 {
		t.Errorf("Messages = %+v, %v; want none", got, err)
	}
}

func TestLogErrorsKeepOnlyStatusAndCode(t *testing.T) {
	log, fake := newLog(t, clinicNumber, "", 0)
	_, err := log.Media(context.Background(), twiliotest.NewMessageSid())
	var be *bridge.Error
	if !errors.As(err, &be) || !errors.Is(err, bridge.ErrUpstream) || err.Error() != "twilio list_media: status 404 code 20404" {
		t.Errorf("err = %v", err)
	}
	fake.Close()
	if _, err := log.Messages(context.Background(), time.Now()); !errors.Is(err, bridge.ErrUnavailable) {
		t.Errorf("with Twilio gone: err = %v, want ErrUnavailable", err)
	}
}
