package bridge

import "time"

// ChatMessage is a message the bridge writes into a patient's channel.
type ChatMessage struct {
	ID          string // deterministic where retries must not duplicate it
	ChannelID   string
	UserID      string // author
	Text        string
	Attachments []Attachment
	Fields      map[string]any // custom fields (sms_direction, sms_sid, ...); a nil value removes a field on update
	CreatedAt   time.Time      // set on messages read back from the chat
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
	Admins    []string // ids of the location's admins, members of its channels
	Location  string   // the location's id (the channel's team, with Stream teams on)
	CreatedBy string
	Fields    map[string]any // channel custom fields
	// NewPatient says the patient most likely has no chat user yet (an SMS
	// for a channel that does not exist): the users are written before the
	// channel. Otherwise (a reminder) the channel is asked for first and
	// the users are written only when the chat says one is missing, which
	// spares Stream's Update Users quota (300 a minute) on every reminder.
	NewPatient bool
}

// ChannelState is what the bridge reads back from a patient's channel.
type ChannelState struct {
	OptedOut bool   // sms_opted_out
	Phone    Phone  // sms_phone as stored; zero when the channel has none
	Medium   string // sms_medium: MediumSMS or MediumWhatsApp
	// ClinicNumber (sms_clinic_number) is the clinic sender the patient last
	// wrote to, which replies leave from; empty on channels made before
	// locations: the configured sender.
	ClinicNumber string
	Location     string // sms_location: the location's id; empty on channels made before locations
	// WhatsApp conversations only (whatsapp_channel.go); zero on SMS channels.
	Address       Phone     // sms_address: the patient's WhatsApp address
	LastInboundAt time.Time // sms_last_inbound_at
}

// User is a chat user the bridge creates.
type User struct {
	ID   string
	Name string
	Role string
}
