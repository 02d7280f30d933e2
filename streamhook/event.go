package streamhook

import (
	"encoding/json"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// event is the part of a Stream webhook event the bridge reads. Custom
// fields arrive flattened into the message (API v1) or under "custom"
// (newer payloads); sms_direction is looked for in both. The channel's
// custom fields come in channel_custom or in a channel object (Stream's
// MessageNewEvent schema has both, each optional; the documented v1
// payload has neither), and then spare the reply a channel read.
type event struct {
	Type          string         `json:"type"`
	ChannelType   string         `json:"channel_type"`
	ChannelID     string         `json:"channel_id"`
	Message       message        `json:"message"`
	User          *user          `json:"user"`
	ChannelCustom map[string]any `json:"channel_custom"`
	Channel       map[string]any `json:"channel"`
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
	MimeType string `json:"mime_type"`
	FileSize *int64 `json:"file_size"` // bytes; Stream sets it on uploads
}

// media is what the bridge's WhatsApp limits need of an attachment: its
// type and size (-1 when Stream does not say).
func (a attachment) media(image bool) bridge.MediaInfo {
	info := bridge.MediaInfo{ContentType: a.MimeType, Size: -1}
	if a.FileSize != nil {
		info.Size = *a.FileSize
	}
	if image && info.ContentType == "" {
		info.ContentType = "image/*"
	}
	return info
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
		Channel: e.channelState(),
	}
	for _, a := range m.Attachments {
		switch {
		case a.ImageURL != "":
			ev.Message.MediaURLs = append(ev.Message.MediaURLs, a.ImageURL)
			ev.Message.Media = append(ev.Message.Media, a.media(true))
		case a.AssetURL != "":
			ev.Message.MediaURLs = append(ev.Message.MediaURLs, a.AssetURL)
			ev.Message.Media = append(ev.Message.Media, a.media(false))
		}
	}
	return ev
}

// channelState is the channel's fields when the event carried them: from
// channel_custom, else from the channel object (flattened, or under its
// "custom"); nil when it carried neither.
func (e event) channelState() *bridge.ChannelState {
	custom := e.ChannelCustom
	if custom == nil && e.Channel != nil {
		custom = e.Channel
		if nested, ok := e.Channel["custom"].(map[string]any); ok {
			custom = nested
		}
	}
	if custom == nil {
		return nil
	}
	state := channelState(custom)
	return &state
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
