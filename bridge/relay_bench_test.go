package bridge_test

import (
	"context"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

// The relay decisions alone, with chat and SMS that do nothing, so only the
// domain's own cost is measured:
// go test -run '^$' -bench . -benchmem ./bridge

// nopChat and nopSMS accept everything and record nothing.
type nopChat struct{}

func (nopChat) PostMessage(context.Context, bridge.ChatMessage) error { return nil }
func (nopChat) CreateConversation(context.Context, bridge.Conversation) (bridge.ChannelState, error) {
	return bridge.ChannelState{}, nil
}
func (nopChat) UpdateChannel(context.Context, string, map[string]any) error { return nil }
func (nopChat) GetMessage(_ context.Context, id string) (bridge.ChatMessage, error) {
	return bridge.ChatMessage{ID: id}, nil
}
func (nopChat) UpdateMessage(context.Context, string, map[string]any) error { return nil }
func (nopChat) ReadChannel(context.Context, string) (bridge.ChannelState, error) {
	return bridge.ChannelState{}, nil
}

type nopSMS struct{}

func (nopSMS) Send(context.Context, bridge.OutboundMessage) (bridge.Receipt, error) {
	return bridge.Receipt{Sid: "SM0123456789abcdef0123456789abcdef", Status: "queued"}, nil
}

func BenchmarkInboundRelay(b *testing.B) {
	in := &bridge.Inbound{Chat: nopChat{}, Admins: []string{"front_desk", "dr_lee"}}
	sms := bridge.InboundSMS{MessageSid: "SM0123456789abcdef0123456789abcdef",
		From: bridge.SenderPhone("+12015550123"), Body: "Yes, I will be there. See you on Tuesday."}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := in.Relay(context.Background(), sms); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOutboundRelay(b *testing.B) {
	tests := []struct {
		name string
		ev   bridge.ChatEvent
	}{
		{"an admin's reply is sent", bridge.ChatEvent{Type: "message.new", ChannelType: "sms", ChannelID: "12015550123",
			Attempt: 1, Message: bridge.EventMessage{ID: "reply-1", Text: "See you on Tuesday at 10:00.",
				Type: "regular", AuthorID: "front_desk", AuthorRole: "admin"}}},
		{"a patient's own message is ignored", bridge.ChatEvent{Type: "message.new", ChannelType: "sms", ChannelID: "12015550123",
			Attempt: 1, Message: bridge.EventMessage{ID: "sms-SM1", Text: "Yes", Type: "regular",
				AuthorID: "12015550123", AuthorRole: "user", Marked: true}}},
	}
	out := &bridge.Outbound{Chat: nopChat{}, Sender: nopSMS{}, ChannelType: "sms", AdminRoles: []string{"admin"},
		PublicURL: "https://smsbridge.example.org"}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := out.Relay(context.Background(), tt.ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOptOutChange(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, changed := bridge.OptOutChange("Yes, I will be there. See you on Tuesday.", ""); changed {
			b.Fatal("an ordinary reply changed the opt-out state")
		}
	}
}
