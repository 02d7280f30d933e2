package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestTheWhatsAppWindowIsTwentyFourHoursAfterThePatientsLastMessage(t *testing.T) {
	last := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		last time.Time
		now  time.Time
		open bool
	}{
		{"a reply a minute later goes", last, last.Add(time.Minute), true},
		{"a reply a second before the day is over goes", last, last.Add(24*time.Hour - time.Second), true},
		{"a reply exactly a day later is refused", last, last.Add(24 * time.Hour), false},
		{"a reply two days later is refused", last, last.Add(48 * time.Hour), false},
		{"a patient who never wrote has no window", time.Time{}, last, false},
		{"a last message slightly in the future (clock skew) counts as now", last, last.Add(-time.Second), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bridge.WindowOpen(tc.last, tc.now); got != tc.open {
				t.Errorf("WindowOpen = %v, want %v", got, tc.open)
			}
		})
	}
}

func TestLastInboundIsStoredAsRFC3339AndReadBack(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 30, 15, 0, time.FixedZone("CET", 3600))
	v := bridge.FormatLastInbound(at)
	if v != "2026-12-07T08:30:15Z" {
		t.Errorf("stored as %q, want UTC RFC 3339", v)
	}
	if got := bridge.ParseLastInbound(v); !got.Equal(at) {
		t.Errorf("read back %v, want %v", got, at)
	}
	for _, bad := range []any{nil, "", "yesterday", 12345} {
		if got := bridge.ParseLastInbound(bad); !got.IsZero() {
			t.Errorf("ParseLastInbound(%#v) = %v, want no window", bad, got)
		}
	}
}

func TestTheMediumOfAnAddressAndAChannel(t *testing.T) {
	for addr, want := range map[string]string{
		"whatsapp:+12015550142": bridge.MediumWhatsApp,
		"WhatsApp:+12015550142": bridge.MediumWhatsApp,
		"whatsapp:US.1234567":   bridge.MediumWhatsApp,
		"+12015550142":          bridge.MediumSMS,
		"12345":                 bridge.MediumSMS,
		"whatsapp":              bridge.MediumSMS,
	} {
		if got := bridge.MediumOf(addr); got != want {
			t.Errorf("MediumOf(%q) = %q, want %q", addr, got, want)
		}
	}
	for v, want := range map[any]string{nil: "sms", "": "sms", "sms": "sms", "whatsapp": "whatsapp", "fax": "sms"} {
		if got := bridge.ChannelMedium(v); got != want {
			t.Errorf("a channel whose sms_medium is %#v is %q, want %q", v, got, want)
		}
	}
}

func TestA63016CallbackIsStoredAsAClosedWindow(t *testing.T) {
	chat := newFakeChat(replyID)
	s := &bridge.Statuses{Chat: chat}
	u := bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: "failed", ErrorCode: bridge.TwilioWindowClosed}
	if _, err := s.Update(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if got := chat.field(replyID, "sms_error_code"); got != "whatsapp_window_closed" {
		t.Errorf("sms_error_code = %#v, want the bridge's own whatsapp_window_closed", got)
	}
	if got := chat.field(replyID, "sms_error"); got != bridge.WhatsAppSentence(bridge.CodeWhatsAppWindowClosed) || got == "" {
		t.Errorf("sms_error = %#v, want the window sentence", got)
	}
}

func TestReadFollowsDeliveredAndNeverRegresses(t *testing.T) {
	chat := newFakeChat(replyID)
	s := &bridge.Statuses{Chat: chat}
	for _, st := range []string{"sent", "delivered", "read", "delivered", "sent"} {
		if _, err := s.Update(context.Background(), bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	if got := chat.field(replyID, "sms_status"); got != "read" {
		t.Errorf("sms_status = %v, want read: a late delivered must not replace it", got)
	}
}

func TestWhatsAppMediaLimits(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name        string
		contentType string
		size        int64
		fits        bool
	}{
		{"a 5 MB image goes", "image/jpeg", 5 * mb, true},
		{"an image one byte over 5 MB is refused", "image/png", 5*mb + 1, false},
		{"a 10 MB video goes", "video/mp4", 10 * mb, true},
		{"a 16 MB document goes", "application/pdf", 16 * mb, true},
		{"a document over 16 MB is refused", "application/pdf", 16*mb + 1, false},
		{"an upper-case image type counts as an image", "IMAGE/JPEG", 6 * mb, false},
		{"an unknown size is left to Twilio", "image/jpeg", -1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bridge.WhatsAppMediaFits(tc.contentType, tc.size); got != tc.fits {
				t.Errorf("fits = %v, want %v", got, tc.fits)
			}
		})
	}
}

func TestAButtonTapAnswersAsTheKeywordsDo(t *testing.T) {
	tests := []struct {
		name, payload, text string
		answer              string
		ok                  bool
	}{
		{"a confirm payload confirms", "CONFIRM", "Yes, I'll come", bridge.ReplyConfirmed, true},
		{"a reschedule payload asks to reschedule", "reschedule", "Another day", bridge.ReplyReschedule, true},
		{"the title is read when the payload is no keyword", "btn_1", "Confirm", bridge.ReplyConfirmed, true},
		{"the title alone answers", "", "R", bridge.ReplyReschedule, true},
		{"a button that is neither answers nothing", "menu", "Opening hours", "", false},
		{"no button answers nothing", "", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answer, ok := bridge.ButtonAnswer(tc.payload, tc.text)
			if answer != tc.answer || ok != tc.ok {
				t.Errorf("ButtonAnswer = %q, %v; want %q, %v", answer, ok, tc.answer, tc.ok)
			}
		})
	}
}
