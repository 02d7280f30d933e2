package streamhook_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

const (
	postKey    = "post-test-key"
	postSecret = "post-test-secret-0123456789"
	patient    = "12015550123"
)

// newChats returns a Chat on the validating fake through stream-chat-go and
// one posting directly, so every case holds for both paths.
func newChats(t *testing.T) (*streamtest.Server, map[string]*streamhook.Chat) {
	t.Helper()
	fake := streamtest.NewServer(streamtest.Options{APIKey: postKey, APISecret: postSecret, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	fake.PutUser(streamtest.User{ID: patient})
	fake.PutChannel(streamtest.Channel{Type: "sms", ID: patient, Members: []string{patient}})
	chats := map[string]*streamhook.Chat{}
	for _, name := range []string{"through stream-chat-go", "directly"} {
		c, err := stream.NewClient(postKey, postSecret)
		if err != nil {
			t.Fatal(err)
		}
		c.BaseURL = fake.URL()
		chats[name] = streamhook.NewChat(c, "sms", nil)
		if name == "directly" {
			chats[name].PostDirectly(postKey, postSecret)
		}
	}
	return fake, chats
}

func inboundMessage(id string) bridge.ChatMessage {
	return bridge.ChatMessage{ID: id, ChannelID: patient, UserID: patient, Text: "Yes, see you then.",
		Attachments: []bridge.Attachment{{Type: "image", URL: "https://media.example/1.jpg", MimeType: "image/jpeg"}},
		Fields:      map[string]any{bridge.FieldDirection: bridge.DirectionInbound, bridge.FieldSID: "SM1"}}
}

func TestPostMessageStoresTheMessageAsSent(t *testing.T) {
	fake, chats := newChats(t)
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			id := "sms-" + strings.ReplaceAll(name, " ", "-")
			if err := chat.PostMessage(context.Background(), inboundMessage(id)); err != nil {
				t.Fatal(err)
			}
			got, ok := fake.Message(id)
			switch {
			case !ok:
				t.Fatal("message not stored")
			case got.UserID != patient || got.Text != "Yes, see you then.":
				t.Errorf("stored author %q text %q", got.UserID, got.Text)
			case got.Custom[bridge.FieldDirection] != bridge.DirectionInbound || got.Custom[bridge.FieldSID] != "SM1":
				t.Errorf("custom fields %v", got.Custom)
			case len(got.Attachments) != 1 || got.Attachments[0].ImageURL != "https://media.example/1.jpg" ||
				got.Attachments[0].MimeType != "image/jpeg":
				t.Errorf("attachments %+v", got.Attachments)
			}
		})
	}
}

func TestPostMessageTranslatesStreamErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*streamtest.Server, bridge.ChatMessage) bridge.ChatMessage
		wantErr error
	}{
		{"a message id used before is a duplicate", func(f *streamtest.Server, m bridge.ChatMessage) bridge.ChatMessage {
			f.PutMessage(streamtest.Message{ID: m.ID, ChannelType: "sms", ChannelID: patient, UserID: patient})
			return m
		}, bridge.ErrDuplicate},
		{"a channel that does not exist is not found", func(_ *streamtest.Server, m bridge.ChatMessage) bridge.ChatMessage {
			m.ChannelID = "12015550199"
			return m
		}, bridge.ErrNotFound},
		{"Stream failing is unavailable", func(f *streamtest.Server, m bridge.ChatMessage) bridge.ChatMessage {
			f.FailNext(streamtest.OpSendMessage, 1, streamtest.Fault{Status: http.StatusServiceUnavailable})
			return m
		}, bridge.ErrUnavailable},
		{"a rate limit is unavailable", func(f *streamtest.Server, m bridge.ChatMessage) bridge.ChatMessage {
			f.FailNext(streamtest.OpSendMessage, 1, streamtest.Fault{Status: http.StatusTooManyRequests})
			return m
		}, bridge.ErrUnavailable},
	}
	for _, tt := range tests {
		fake, chats := newChats(t)
		for name, chat := range chats {
			t.Run(tt.name+", "+name, func(t *testing.T) {
				m := tt.setup(fake, inboundMessage(strings.ReplaceAll("sms-"+tt.name+"-"+name, " ", "-")))
				err := chat.PostMessage(context.Background(), m)
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("error %v, want %v", err, tt.wantErr)
				}
			})
		}
	}
}

func TestUpdateMessageMarksTheMessageOnBothPaths(t *testing.T) {
	fake, chats := newChats(t)
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			id := "reply-" + strings.ReplaceAll(name, " ", "-")
			fake.PutMessage(streamtest.Message{ID: id, ChannelType: "sms", ChannelID: patient, UserID: patient, Text: "hi",
				Custom: map[string]any{bridge.FieldStatus: "pending", "sms_error": "old"}})
			err := chat.UpdateMessage(context.Background(), id, map[string]any{
				bridge.FieldSID: "SM1", bridge.FieldStatus: "queued", "sms_error": nil})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := fake.Message(id)
			if got.Custom[bridge.FieldSID] != "SM1" || got.Custom[bridge.FieldStatus] != "queued" || got.Text != "hi" {
				t.Errorf("message after the update: %+v", got)
			}
			if _, ok := got.Custom["sms_error"]; ok {
				t.Error("a nil field was not removed")
			}
			if err := chat.UpdateMessage(context.Background(), "no-such-message", map[string]any{bridge.FieldStatus: "sent"}); !errors.Is(err, bridge.ErrNotFound) {
				t.Errorf("updating a missing message: %v, want not found", err)
			}
		})
	}
}

func TestGetMessageReadsTheMarksOnBothPaths(t *testing.T) {
	fake, chats := newChats(t)
	created := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	fake.PutMessage(streamtest.Message{ID: "reply-1", ChannelType: "sms", ChannelID: patient, UserID: patient, Text: "hi",
		Custom: map[string]any{bridge.FieldSID: "SM1", bridge.FieldStatus: "sent", "unrelated": "x"}, CreatedAt: created})
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			m, err := chat.GetMessage(context.Background(), "reply-1")
			if err != nil {
				t.Fatal(err)
			}
			if m.ID != "reply-1" || m.UserID != patient || m.Text != "hi" || !m.CreatedAt.Equal(created) ||
				m.Fields[bridge.FieldSID] != "SM1" || m.Fields[bridge.FieldStatus] != "sent" {
				t.Errorf("message = %+v", m)
			}
			if _, err := chat.GetMessage(context.Background(), "no-such-message"); !errors.Is(err, bridge.ErrNotFound) {
				t.Errorf("reading a missing message: %v, want not found", err)
			}
		})
	}
}

func TestACallerThatWentAwayIsNotAnUpstreamFailure(t *testing.T) {
	_, chats := newChats(t)
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // as net/http does when the caller closes the connection
			err := chat.PostMessage(ctx, inboundMessage("sms-gone-"+strings.ReplaceAll(name, " ", "-")))
			if !errors.Is(err, bridge.ErrCallerGone) || errors.Is(err, bridge.ErrUnavailable) {
				t.Errorf("error %v, want the caller's (not unavailable)", err)
			}
		})
	}
}
