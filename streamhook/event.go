package streamhook

import (
	"encoding/json"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// event is the part of a Stream webhook event the bridge reads. Custom
// fields arrive flattened into the message (API v1) or under "custom"
// (newer payloads); sms_direction is looked for in both.
type event struct {
	Type        string  `json:"type"`
	ChannelType string  `json:"channel_type"`
	ChannelID   string  `json:"channel_id"`
	Message     message `json:"message"`
	User        *user   `json:"user"`
}

type message struct {
	ID           string          `json:"id"`
	Text         string          `json:"text"`
	Type         string          `json:"type"`
	Silent       bool            `json:"silent"`
	CreatedAt    string          `json:"created_at"` // parsed leniently: a bad one only costs a read-back
	DeletedAt    json.RawMessage `json:"deleted_at"`
	User         *user           `json:"user"`
	Attachments  []attachment    `json:"attachments"`
	SMSDirection json.RawMessage `json:"sms_direction"`
	Custom       struct {
		SMSDirection json.RawMessage `json:"sms_direction"`
	} `json:"custom"`
}

type user struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

type attachment struct {
	ImageURL string `json:"image_url"`
	AssetURL string `json:"asset_url"`
}

func (e event) toBridge(attempt int) bridge.ChatEvent {
	m := e.Message
	author := m.User
	if author == nil {
		author = e.User
	}
	if author == nil {
		author = &user{}
	}
	ev := bridge.ChatEvent{
		Type: e.Type, ChannelType: e.ChannelType, ChannelID: e.ChannelID, Attempt: attempt,
		Message: bridge.EventMessage{
			ID: m.ID, Text: m.Text, Type: m.Type, Silent: m.Silent,
			Deleted:  present(m.DeletedAt) || m.Type == "deleted",
			AuthorID: author.ID, AuthorRole: author.Role, CreatedAt: parseTime(m.CreatedAt),
			Marked: present(m.SMSDirection) || present(m.Custom.SMSDirection),
		},
	}
	for _, a := range m.Attachments {
		switch {
		case a.ImageURL != "":
			ev.Message.MediaURLs = append(ev.Message.MediaURLs, a.ImageURL)
		case a.AssetURL != "":
			ev.Message.MediaURLs = append(ev.Message.MediaURLs, a.AssetURL)
		}
	}
	return ev
}

// present reports whether a JSON value was sent and is not null.
func present(v json.RawMessage) bool {
	return len(v) > 0 && string(v) != "null"
}

// parseTime reads Stream's RFC 3339 timestamp; anything else is zero.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
