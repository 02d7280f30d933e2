package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestEveryWhatsAppMessageRefreshesTheWindowAndSMSCostsNoExtraCall(t *testing.T) {
	in, chat := newInbound()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	in.Now = func() time.Time { return now }
	wa := sms("SM1", "whatsapp:+12015550142", "hello")
	wa.To, wa.ProfileName = "whatsapp:+12015550100", "Dana"
	if _, err := in.Relay(context.Background(), wa); err != nil {
		t.Fatal(err)
	}
	conv := chat.convs["wa_12015550142"]
	if conv.Fields["sms_last_inbound_at"] != "2026-12-07T09:00:00Z" || conv.Fields["name"] != "Dana" || conv.Patient.ID != "12015550142" {
		t.Fatalf("conversation = %+v", conv)
	}
	now = now.Add(3 * time.Hour)
	for i, body := range []string{"a question", "STOP", "START"} {
		m := sms("SM"+string(rune('2'+i)), "whatsapp:+12015550142", body)
		if _, err := in.Relay(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if len(chat.updates) != 3 {
		t.Fatalf("channel updates = %v, want one per message", chat.updates)
	}
	for _, u := range chat.updates {
		if u["sms_last_inbound_at"] != "2026-12-07T12:00:00Z" {
			t.Errorf("update %v does not refresh the window", u)
		}
	}
	if chat.updates[1]["sms_opted_out"] != true || chat.updates[2]["sms_opted_out"] != false {
		t.Errorf("STOP/START not recorded with the window: %v", chat.updates)
	}
	before := len(chat.updates)
	if _, err := in.Relay(context.Background(), sms("SM9", "+12015550123", "an SMS")); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Relay(context.Background(), sms("SM10", "+12015550123", "another SMS")); err != nil {
		t.Fatal(err)
	}
	if len(chat.updates) != before {
		t.Errorf("SMS messages updated the channel: %v", chat.updates[before:])
	}
}

func TestChannelStateReadsTheWhatsAppFieldsAndMissingMediumIsSMS(t *testing.T) {
	st := bridge.ChannelStateFrom(map[string]any{"sms_phone": "+12015550123", "sms_opted_out": false})
	if st.Medium != bridge.MediumSMS || st.Phone.Raw() != "+12015550123" {
		t.Errorf("old channel = %+v", st)
	}
	st = bridge.ChannelStateFrom(map[string]any{"sms_medium": "whatsapp", "sms_phone": "", "sms_address": "whatsapp:US.1349",
		"sms_clinic_number": "whatsapp:+12015550100", "sms_last_inbound_at": "2026-12-07T09:00:00Z"})
	if st.Medium != bridge.MediumWhatsApp || !st.Phone.IsZero() || st.Address.Raw() != "whatsapp:US.1349" ||
		st.ClinicNumber != "whatsapp:+12015550100" || !st.LastInboundAt.Equal(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("WhatsApp channel = %+v", st)
	}
}

func TestAWhatsAppButtonTapAnswersTheReminder(t *testing.T) {
	in, chat := newReplyInbound()
	chat.channels["wa_12015550142"] = map[string]any{}
	all := map[string]any{bridge.FieldOrigin: bridge.OriginReminder, bridge.FieldDirection: "outbound", bridge.FieldStatus: "read"}
	chat.messages["rem-1"] = bridge.ChatMessage{ID: "rem-1", ChannelID: "wa_12015550142", UserID: "front_desk",
		CreatedAt: replyNow.Add(-time.Hour), Fields: all}
	tap := sms("SMtap", "whatsapp:+12015550142", "Yes, I'll be there")
	tap.ButtonPayload, tap.ButtonText = "CONFIRM", "Yes, I'll be there"
	res, err := in.Relay(context.Background(), tap)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reply != bridge.ReplyConfirmed || chat.messages["rem-1"].Fields[bridge.FieldReply] != bridge.ReplyConfirmed {
		t.Errorf("result %+v, reminder %v", res, chat.messages["rem-1"].Fields)
	}
}

func TestAWhatsAppReplyOutsideTheWindowIsRefusedBeforeTheProvider(t *testing.T) {
	last := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		now  time.Time
		sent int
		code any
	}{
		{"23 hours later it goes", last.Add(23 * time.Hour), 1, nil},
		{"25 hours later it is refused", last.Add(25 * time.Hour), 0, bridge.CodeWhatsAppWindowClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, chat, sms := newOutbound(replyID)
			out.Now = func() time.Time { return tc.now }
			chat.channels["wa_12015550142"] = map[string]any{"sms_medium": "whatsapp", "sms_phone": "+12015550142",
				"sms_address": "whatsapp:+12015550142", "sms_clinic_number": "whatsapp:+12015550100",
				"sms_last_inbound_at": bridge.FormatLastInbound(last), "sms_opted_out": false}
			ev := adminReply("See you soon")
			ev.ChannelID = "wa_12015550142"
			if _, err := out.Relay(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			if len(sms.sent) != tc.sent || chat.field(replyID, "sms_error_code") != tc.code {
				t.Fatalf("sent %d, sms_error_code %v", len(sms.sent), chat.field(replyID, "sms_error_code"))
			}
			if tc.sent == 1 && (sms.sent[0].To.Raw() != "whatsapp:+12015550142" || sms.sent[0].From != "whatsapp:+12015550100") {
				t.Errorf("sent %+v", sms.sent[0])
			}
		})
	}
}
