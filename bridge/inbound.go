package bridge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"
)

// InboundSMS is a patient's SMS or MMS as Twilio delivered it.
type InboundSMS struct {
	MessageSid string
	From       Phone
	To         string // the clinic's number or WhatsApp sender, as Twilio wrote it
	// MessagingServiceSid is the Messaging Service the number belongs to,
	// when it belongs to one: it picks the location when To is in no list.
	MessagingServiceSid string
	Body                string
	Media               []Media
	OptOutType          string // Twilio's OptOutType parameter ("STOP", "START", "HELP") when Advanced Opt-Out is on
	// WhatsApp only: the name the patient gave WhatsApp (never logged), and
	// a quick-reply tap's button id and title.
	ProfileName, ButtonPayload, ButtonText string
	// ReceivedAt is when Twilio received a message restored from its log
	// (reconcile); zero for a webhook, which is now.
	ReceivedAt time.Time
}

// Media is one MMS attachment.
type Media struct {
	URL         string
	ContentType string
}

// InboundChat is what the inbound relay needs from the chat service
// (Stream). Declared by its user, so the relay is tested with a recording
// fake and the Stream adapter stays a pure translation of wire formats.
type InboundChat interface {
	// PostMessage posts m in its channel. It returns an error wrapping
	// ErrNotFound when the channel does not exist and ErrDuplicate when a
	// message with m.ID already exists.
	PostMessage(ctx context.Context, m ChatMessage) error
	// CreateConversation creates (or updates) the users and creates the
	// channel if it is missing; calling it again is harmless. It returns
	// the channel's state as stored (an existing channel keeps its fields).
	CreateConversation(ctx context.Context, c Conversation) (ChannelState, error)
	// UpdateChannel sets custom fields on a channel.
	UpdateChannel(ctx context.Context, channelID string, set map[string]any) error
	// ReadChannel returns a channel's fields (see OutboundChat); asked only
	// where a conversation may have changed clinic number.
	ReadChannel(ctx context.Context, channelID string) (ChannelState, error)
}

// Inbound relays patients' SMS into their chat channels.
type Inbound struct {
	Now  func() time.Time // nil: time.Now; the WhatsApp window's clock
	Chat InboundChat
	// Locations are the clinic's sites; the one the patient texted owns the
	// conversation. Empty: one location whose members are Admins.
	Locations Locations
	Admins    []string // without Locations: admin user ids, members of every patient channel
	Replies   *Replies // records answers to reminders (replies.go); nil: keywords are ordinary messages
}

// InboundResult tells the adapter what happened, for logs and metrics.
type InboundResult struct {
	Outcome Outcome
	// Location is the id of the location the message went to; Unlisted says
	// the number texted is in no location's list (it went to the first).
	Location string
	Unlisted bool
	OptedOut *bool  // set when the message changed the patient's opt-out state
	Reply    string // the answer recorded on a reminder (ReplyConfirmed, ReplyReschedule), if any
}

// Relay stores sms as one chat message in the sender's channel.
//
// The steady state costs one chat call: the message is posted first, and
// only when the chat says the channel does not exist are the users and the
// channel created and the message posted again. Nothing about patients is
// kept in memory, so any replica can take any delivery. The message id is
// derived from the MessageSid, so a redelivery (a Twilio retry, on this or
// another replica) finds the message already there and succeeds.
func (in *Inbound) Relay(ctx context.Context, sms InboundSMS) (InboundResult, error) {
	if sms.MessageSid == "" || sms.From.IsZero() {
		return InboundResult{}, Errorf(ErrInvalid, "missing_fields", "The webhook has no From or MessageSid.")
	}
	// A patient's SMS spends the chat's last calls before anything else.
	ctx = priority.With(ctx, priority.Inbound)
	conv := in.route(sms)
	if conv.channelID == "" {
		return InboundResult{}, Errorf(ErrInvalid, "invalid_sender", "The sender address has no letters or digits.")
	}
	msg := ChatMessage{
		ID:          InboundMessageID(sms.MessageSid),
		ChannelID:   conv.channelID,
		UserID:      sms.From.UserID(),
		Text:        sms.Body,
		Attachments: attachments(sms.Media),
		Fields:      map[string]any{FieldDirection: DirectionInbound, FieldSID: sms.MessageSid},
	}
	res := InboundResult{Outcome: OutcomeStored, Location: conv.loc.ID, Unlisted: !conv.listed}
	err := in.Chat.PostMessage(ctx, msg)
	if errors.Is(err, ErrNotFound) {
		res.Outcome = OutcomeFirst
		if _, err = in.Chat.CreateConversation(ctx, in.conversation(sms, conv)); err != nil {
			return InboundResult{}, fmt.Errorf("create conversation for %s: %w", sms.MessageSid, err)
		}
		err = in.Chat.PostMessage(ctx, msg)
	}
	if errors.Is(err, ErrDuplicate) {
		res.Outcome, err = OutcomeDuplicate, nil
	}
	if err != nil {
		return InboundResult{}, fmt.Errorf("relay sms %s: %w", sms.MessageSid, err)
	}
	if err := in.afterStored(ctx, sms, conv, msg.ID, &res); err != nil {
		return InboundResult{}, err
	}
	return res, nil
}

// afterStored applies what the message means besides its text: an opt-out
// keyword marks the channel, an answer keyword marks the reminder. Both run
// after the message is stored, so a failure here is retried by Twilio and
// the redelivery only repeats these idempotent updates.
func (in *Inbound) afterStored(ctx context.Context, sms InboundSMS, conv inboundConversation, msgID string, res *InboundResult) error {
	channelID := conv.channelID
	set := in.windowRefresh(sms, res.Outcome)
	if err := in.followClinicNumber(ctx, sms, conv, res.Outcome, set); err != nil {
		return err
	}
	opted, optChange := OptOutChange(sms.Body, sms.OptOutType)
	if optChange {
		set[FieldOptedOut] = opted
	}
	if len(set) > 0 {
		if err := in.Chat.UpdateChannel(ctx, channelID, set); err != nil {
			return fmt.Errorf("record opt-out or last message of %s: %w", sms.MessageSid, err)
		}
	}
	if optChange {
		res.OptedOut = &opted
	}
	answer, ok := inboundAnswer(sms)
	// A channel created by this very message holds no reminder to answer.
	if !ok || in.Replies == nil || res.Outcome == OutcomeFirst {
		return nil
	}
	reminderID, err := in.Replies.Record(ctx, channelID, msgID, answer)
	if err != nil {
		return fmt.Errorf("record answer of %s: %w", sms.MessageSid, err)
	}
	if reminderID != "" {
		res.Reply = answer
	}
	return nil
}

func (in *Inbound) conversation(sms InboundSMS, conv inboundConversation) Conversation {
	var c Conversation
	if IsWhatsApp(sms.From.Raw()) {
		c = NewWhatsAppConversation(sms.From, conv.clinic, sms.ProfileName, conv.loc.Admins)
		at := sms.ReceivedAt
		if at.IsZero() {
			at = in.now()
		}
		c.Fields[FieldLastInboundAt] = FormatLastInbound(at)
	} else {
		c = NewConversation(sms.From, conv.channelID, conv.loc.Admins)
		c.Fields[FieldClinicNumber] = conv.clinic
	}
	c.ChannelID = conv.channelID
	c.Location = conv.loc.ID
	c.Fields[FieldLocation] = conv.loc.ID
	c.NewPatient = true // the channel was missing: so, most likely, is the user
	return c
}

// NewConversation describes a patient's channel: the patient as a user named
// by their number, every admin as a member, the number and opt-out state as
// channel fields (docs/contract.md §3).
func NewConversation(from Phone, channelID string, admins []string) Conversation {
	c := Conversation{
		ChannelID: channelID,
		Patient:   User{ID: from.UserID(), Name: from.DisplayName(), Role: "user"},
		Admins:    admins,
		CreatedBy: from.UserID(),
		Fields: map[string]any{
			"name":        from.DisplayName(),
			FieldPhone:    from.Raw(),
			FieldOptedOut: false,
			FieldMedium:   MediumSMS,
		},
	}
	if len(admins) > 0 {
		c.CreatedBy = admins[0]
	}
	return c
}

// attachments maps MMS media to chat attachments: images show inline, other
// media as files (docs/contract.md §3).
func attachments(media []Media) []Attachment {
	if len(media) == 0 {
		return nil
	}
	out := make([]Attachment, 0, len(media))
	for _, m := range media {
		kind := "file"
		switch major, _, _ := strings.Cut(strings.ToLower(m.ContentType), "/"); major {
		case "image", "video", "audio":
			kind = major
		}
		out = append(out, Attachment{Type: kind, URL: m.URL, MimeType: m.ContentType})
	}
	return out
}
