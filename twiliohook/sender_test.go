package twiliohook_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/twiliohook"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const (
	sid   = "AC0123456789abcdef0123456789abcdef"
	token = "sendertesttoken0123456789abcdef0"
)

func newSender(t *testing.T, msid string) (*twiliohook.Sender, *twiliotest.Server) {
	t.Helper()
	fake := twiliotest.NewServer(twiliotest.Options{AccountSID: sid, AuthToken: token, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	return twiliohook.NewSender(twiliohook.SenderOptions{
		AccountSID: sid, AuthToken: token, From: "+12015550100", MessagingServiceSID: msid, BaseURL: fake.URL(),
	}), fake
}

func to(t *testing.T, n string) bridge.Phone {
	t.Helper()
	p, err := bridge.ParsePhone(n, "US")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSendCreatesOneTwilioMessage(t *testing.T) {
	s, fake := newSender(t, "")
	r, err := s.Send(context.Background(), bridge.OutboundMessage{
		To: to(t, "+12015550123"), Body: "See you at 3pm", MediaURLs: []string{"https://cdn.example.org/a.jpg", "https://cdn.example.org/b.pdf"},
		StatusCallback: "https://smsbridge.example.org/twilio-status?mid=abc",
	})
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("messages = %d", len(msgs))
	}
	m := msgs[0]
	if m.Sid != r.Sid || r.Status != "queued" || m.To != "+12015550123" || m.From != "+12015550100" || m.Body != "See you at 3pm" ||
		len(m.MediaURLs) != 2 || m.StatusCallback != "https://smsbridge.example.org/twilio-status?mid=abc" {
		t.Errorf("receipt %+v, message %+v", r, m)
	}
}

func TestTheMessagingServiceWinsAndCanSchedule(t *testing.T) {
	s, fake := newSender(t, "MG0123456789abcdef0123456789abcdef")
	if !s.CanSchedule() {
		t.Fatal("CanSchedule = false with a Messaging Service")
	}
	at := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	r, err := s.Send(context.Background(), bridge.OutboundMessage{To: to(t, "+12015550123"), Body: "Reminder", SendAt: at})
	if err != nil {
		t.Fatal(err)
	}
	m := fake.Messages()[0]
	if m.MessagingServiceSid != "MG0123456789abcdef0123456789abcdef" || m.From != "" || m.ScheduleType != "fixed" ||
		!m.SendAt.Equal(at) || r.Status != "scheduled" {
		t.Errorf("receipt %+v, message %+v", r, m)
	}
}

func TestSendErrorsAreClassified(t *testing.T) {
	tests := []struct {
		name string
		set  func(*twiliotest.Server)
		kind error
		code int
	}{
		{"opt-out 21610 is ErrOptedOut", func(f *twiliotest.Server) { f.FailTo("+12015550123", twiliotest.Error{Code: 21610}) }, bridge.ErrOptedOut, 21610},
		{"invalid number 21211 is ErrInvalid", func(f *twiliotest.Server) { f.FailTo("+12015550123", twiliotest.Error{Code: 21211}) }, bridge.ErrInvalid, 21211},
		{"not a mobile 21614 is ErrInvalid", func(f *twiliotest.Server) { f.FailTo("+12015550123", twiliotest.Error{Code: 21614}) }, bridge.ErrInvalid, 21614},
		{"another refusal is ErrUpstream", func(f *twiliotest.Server) { f.FailTo("+12015550123", twiliotest.Error{Code: 21408}) }, bridge.ErrUpstream, 21408},
		{"500 is transient", func(f *twiliotest.Server) { f.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: 500}) }, bridge.ErrUnavailable, 0},
		{"429 is transient", func(f *twiliotest.Server) { f.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: 429}) }, bridge.ErrUnavailable, 0},
		{"a reset is transient", func(f *twiliotest.Server) { f.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Reset: true}) }, bridge.ErrUnavailable, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, fake := newSender(t, "")
			tc.set(fake)
			_, err := s.Send(context.Background(), bridge.OutboundMessage{To: to(t, "+12015550123"), Body: "hello"})
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want %v", err, tc.kind)
			}
			var ref *bridge.Refusal
			if tc.code != 0 && (!errors.As(err, &ref) || ref.Code != tc.code) {
				t.Errorf("refusal = %+v, want code %d", ref, tc.code)
			}
			if errors.Is(err, bridge.ErrUnavailable) && errors.As(err, &ref) {
				t.Errorf("transient error is also a refusal")
			}
		})
	}
}

func TestSendHonoursTheContextDeadline(t *testing.T) {
	s, fake := newSender(t, "")
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := s.Send(ctx, bridge.OutboundMessage{To: to(t, "+12015550123"), Body: "hello"})
	if !errors.Is(err, bridge.ErrUnavailable) {
		t.Errorf("err = %v, want ErrUnavailable", err)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("Send returned after %v; the deadline was 200ms", d)
	}
}

func TestRefusalTextsNeverQuoteTheNumber(t *testing.T) {
	s, fake := newSender(t, "")
	fake.FailTo("+12015550123", twiliotest.Error{Code: 21211, Message: "The 'To' number +12015550123 is not a valid phone number."})
	_, err := s.Send(context.Background(), bridge.OutboundMessage{To: to(t, "+12015550123"), Body: "hello"})
	if err == nil || strings.Contains(err.Error(), "2015550123") {
		t.Errorf("err = %v", err)
	}
}
