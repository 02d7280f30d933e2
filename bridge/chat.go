package bridge

import "context"

// Chat is what the relays need from the chat service (Stream). It is
// declared here, by its user, so the relays can be tested with a recording
// fake and so the Stream adapter stays a pure translation of wire formats.
type Chat interface {
	// PostMessage posts m in its channel. It returns an error wrapping
	// ErrNotFound when the channel does not exist and ErrDuplicate when a
	// message with m.ID already exists.
	PostMessage(ctx context.Context, m ChatMessage) error
	// CreateConversation creates (or updates) the users and creates the
	// channel if it is missing; calling it again is harmless.
	CreateConversation(ctx context.Context, c Conversation) error
	// UpdateChannel sets custom fields on a channel.
	UpdateChannel(ctx context.Context, channelID string, set map[string]any) error
}

// ChatMessage is a message the bridge writes into a patient's channel.
type ChatMessage struct {
	ID          string // deterministic where retries must not duplicate it
	ChannelID   string
	UserID      string // author
	Text        string
	Attachments []Attachment
	Fields      map[string]any // custom fields (sms_direction, sms_sid, ...)
}

// Attachment is a media file of an MMS.
type Attachment struct {
	Type     string // "image", "video", "audio" or "file"
	URL      string
	MimeType string
}

// Conversation is everything needed to create a patient's channel.
type Conversation struct {
	ChannelID string
	Patient   User
	Admins    []string // ids of the clinic's admins, members of every channel
	CreatedBy string
	Fields    map[string]any // channel custom fields
}

// User is a chat user the bridge creates.
type User struct {
	ID   string
	Name string
	Role string
}
