package streamhook

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// The hot paths of the Stream side, piece by piece:
// go test -run '^$' -bench . -benchmem ./streamhook

const (
	benchKey    = "bench-stream-key"
	benchSecret = "bench-stream-secret-0123456789"
)

// benchEvent is a message.new webhook for an admin's reply, as the fake
// renders it, and its signature.
func benchEvent(b *testing.B) (body []byte, sig string) {
	b.Helper()
	fake := streamtest.NewServer(streamtest.Options{APIKey: benchKey, APISecret: benchSecret})
	defer fake.Close()
	fake.PutUser(streamtest.User{ID: "front_desk", Role: "admin"})
	fake.PutMessage(streamtest.Message{ID: "reply-1", ChannelType: "sms", ChannelID: "12015550123",
		Text: "Your appointment is confirmed for Tuesday at 10:00.", UserID: "front_desk"})
	body, ok := fake.MessageNewEvent("reply-1")
	if !ok {
		b.Fatal("no event")
	}
	return body, streamtest.Sign(benchSecret, body)
}

func BenchmarkVerifySignature(b *testing.B) {
	body, sig := benchEvent(b)
	v := NewVerifier(benchSecret)
	r := httptest.NewRequest("POST", "/stream-outgoing-sms", nil)
	r.Header.Set(SignatureHeader, sig)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEvent(b *testing.B) {
	body, _ := benchEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		var e event
		if err := json.Unmarshal(body, &e); err != nil {
			b.Fatal(err)
		}
		if ev := e.toBridge(1); ev.Message.AuthorRole != "admin" {
			b.Fatalf("author role %q", ev.Message.AuthorRole)
		}
	}
}

// BenchmarkPostMessage is the one Stream call of an inbound SMS, against
// the fake without validation: the adapter's encoding and decoding plus a
// loopback round trip and the fake's own work (its allocations count too).
func BenchmarkPostMessage(b *testing.B) {
	fake := streamtest.NewServer(streamtest.Options{APIKey: benchKey, APISecret: benchSecret, SkipValidation: true})
	defer fake.Close()
	fake.PutUser(streamtest.User{ID: "12015550123"})
	fake.PutChannel(streamtest.Channel{Type: "sms", ID: "12015550123", Members: []string{"12015550123"}})
	for _, direct := range []bool{false, true} {
		name := "through stream-chat-go"
		if direct {
			name = "directly"
		}
		b.Run(name, func(b *testing.B) {
			client, err := stream.NewClient(benchKey, benchSecret)
			if err != nil {
				b.Fatal(err)
			}
			client.BaseURL = fake.URL()
			chat := NewChat(client, "sms", nil)
			if direct {
				chat.PostDirectly(benchKey, benchSecret)
			}
			fake.ForgetMessages()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n++
				sid := "SM" + strconv.Itoa(n)
				err := chat.PostMessage(context.Background(), bridge.ChatMessage{
					ID: "sms-" + sid, ChannelID: "12015550123", UserID: "12015550123",
					Text:   "Yes, I will be there. See you on Tuesday.",
					Fields: map[string]any{bridge.FieldDirection: bridge.DirectionInbound, bridge.FieldSID: sid},
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
