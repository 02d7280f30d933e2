package bridge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smsbridge/smsbridge/internal/priority"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Twilio's message scheduling window for SendAt, inclusive.
const (
	MinScheduleAhead = 15 * time.Minute
	MaxScheduleAhead = 35 * 24 * time.Hour
)

// FieldSendAt holds a scheduled reminder's send time (RFC 3339, UTC).
const FieldSendAt = "sms_send_at"

// ReminderChat is what sending a reminder needs from the chat service
// (Stream); streamhook.Chat implements it.
type ReminderChat interface {
	// CreateConversation gets or creates the patient's channel and returns
	// its state as stored (see InboundChat).
	CreateConversation(ctx context.Context, c Conversation) (ChannelState, error)
	// PostMessage posts m in its channel.
	PostMessage(ctx context.Context, m ChatMessage) error
	// GetMessage and UpdateMessage read and write a message's status
	// (through Statuses).
	GetMessage(ctx context.Context, id string) (ChatMessage, error)
	UpdateMessage(ctx context.Context, id string, set map[string]any) error
	// UpdateChannel sets custom fields on a channel.
	UpdateChannel(ctx context.Context, channelID string, set map[string]any) error
}

// Reminder is an appointment reminder an admin sends from the dashboard.
type Reminder struct {
	AdminID string // the author, an ADMIN_USERS id
	To      Phone  // a validated number (ParsePhone)
	Text    string
	SendAt  time.Time // zero: now
	Key     string    // a batch row's key (batch.go), kept on the message; empty for the API
	// Location is the id of the location it is sent for; empty: the
	// author's only location, or else the first of theirs.
	Location string
	// WhenAllowed schedules an immediate reminder that falls inside quiet
	// hours for their end, instead of refusing it.
	WhenAllowed bool
	// WhatsApp (To is whatsapp:+E164): the approved template Text stands
	// for, sent instead of Text (whatsapp_reminder.go). Empty: free text.
	ContentSid       string
	ContentVariables map[string]string
}

// ReminderResult tells the adapter what happened, for the answer, logs and
// metrics.
type ReminderResult struct {
	Outcome   Outcome // OutcomeSent, OutcomeSentUnmarked or OutcomeFailed; empty when nothing was sent
	MessageID string  // the reminder's chat message id
	ChannelID string
	Location  string // the location's id
	To        Phone
	Sid       string    // the provider's message sid
	Status    string    // the provider's status: "queued", "accepted", "scheduled"...
	SendAt    time.Time // when it is scheduled for; zero when sent now
	// MarkErr is set when the result could not be written onto the chat
	// message. The send result stands; the adapter logs it.
	MarkErr error
}

// Reminders sends reminders: one SMS each, mirrored in the patient's channel.
type Reminders struct {
	Chat   ReminderChat
	Sender Sender
	Sent   SentLog // optional: settles sends whose answer was lost
	// Locations are the clinic's sites: each reminder goes from its
	// location's senders, into its (patient, location) channel, under its
	// quiet hours. Empty: one location of Admins, CanSchedule and QuietHours.
	Locations   Locations
	Admins      []string   // without Locations: members of every patient channel
	PublicURL   string     // for status callbacks
	CanSchedule bool       // without Locations: the provider can schedule (Twilio: a Messaging Service is set)
	QuietHours  QuietHours // without Locations: nil, none
	Now         func() time.Time
	NewID       func() string // reminder message ids; nil: random
	Statuses    *Statuses     // writes the marks; nil: one without a ledger
	// WhatsAppFrom is the clinic's WhatsApp sender, written on WhatsApp
	// conversations a reminder opens; empty: a Messaging Service picks it.
	WhatsAppFrom string
}

// Send validates rem, refuses or moves it when it falls inside the
// patient's quiet hours (applyQuietHours), then, in this order:
//
//  1. gets or creates the patient's channel, and refuses opted-out patients
//     before anything is written or sent;
//  2. posts the reminder in the channel as "pending", already carrying
//     sms_direction, so the Stream webhook never relays it as a chat reply;
//  3. sends the SMS, with the message id in the status callback URL;
//  4. marks the message with the sid and status, or as failed with a reason.
//
// Posting first means the chat never lacks a reminder that went out, a
// patient's quick reply lands below it, and a Stream outage sends nothing.
// A reminder that was not sent never looks sent: it is "pending" until the
// provider accepts it and "failed" when it does not. If the mark after an
// accepted send fails, the SMS stands (no error, so the caller does not send
// it twice) and the first status callback writes the status.
func (r *Reminders) Send(ctx context.Context, rem Reminder) (ReminderResult, error) {
	site, err := r.site(rem)
	if err != nil {
		return ReminderResult{}, err
	}
	if err := r.validate(rem, site); err != nil {
		return ReminderResult{}, err
	}
	rem, err = r.applyQuietHours(rem, site)
	if err != nil {
		return ReminderResult{}, err
	}
	res := ReminderResult{MessageID: r.newID(), ChannelID: site.channelID, To: rem.To, SendAt: rem.SendAt, Location: site.loc.ID}
	// A reminder spends the chat's quota after inbound SMS, before status
	// writes; a call held back waits for the window to turn when that fits
	// the reminder's deadline (deadlines.Reminder), so a burst is paced to
	// what Stream takes.
	ctx = priority.With(ctx, priority.Send)
	state, err := r.Chat.CreateConversation(ctx, r.conversation(rem, site))
	if err != nil {
		return res, fmt.Errorf("open channel for reminder %s: %w", res.MessageID, atChatLimit(err))
	}
	if state.OptedOut {
		return res, Errorf(ErrOptedOut, "opted_out",
			"The patient has opted out of text messages (replied STOP), so nothing was sent.")
	}
	if err := r.whatsAppRule(rem, state); err != nil {
		return res, err
	}
	if err := r.Chat.PostMessage(ctx, r.message(rem, res)); err != nil {
		return res, fmt.Errorf("post reminder %s: %w", res.MessageID, atChatLimit(err))
	}
	r.statuses().Remember(ctx, res.MessageID, StatusPending)
	sentFrom := r.now()
	from, service := site.sender(rem, state)
	receipt, err := r.Sender.Send(ctx, OutboundMessage{
		To:                  rem.To,
		From:                from,
		MessagingServiceSID: service,
		Body:                rem.Text,
		StatusCallback:      StatusCallbackURL(r.PublicURL, res.MessageID),
		SendAt:              rem.SendAt,
		ContentSid:          rem.ContentSid,
		ContentVariables:    rem.ContentVariables,
	})
	if err != nil {
		if receipt, err = r.settle(ctx, rem, sentFrom, err); err != nil {
			return r.notSent(ctx, res, err)
		}
	}
	res.Outcome, res.Sid, res.Status = OutcomeSent, receipt.Sid, receipt.Status
	if _, err := r.statuses().Write(ctx, res.MessageID, receipt.Status, sentFields(receipt)); err != nil {
		res.Outcome, res.MarkErr = OutcomeSentUnmarked, fmt.Errorf("mark reminder %s sent: %w", res.MessageID, err)
	}
	return res, nil
}

// atChatLimit tells the dashboard plainly when a reminder was held back by
// the chat's rate limit before anything was sent: 503 chat_rate_limited with
// Retry-After, the window's reset. Sending it again then (with the same
// Idempotency-Key) sends it once.
func atChatLimit(err error) error {
	var hint RetryHint
	if !errors.Is(err, ErrUnavailable) || !errors.As(err, &hint) || hint.RetryAfter() <= 0 {
		return err
	}
	limited := &Error{Kind: ErrUnavailable, Code: "chat_rate_limited", RetryAfter: hint.RetryAfter(),
		Message: "The chat service's rate limit is reached, so nothing was sent; send it again after Retry-After seconds."}
	return fmt.Errorf("%w (%w)", limited, err)
}

// settle asks the provider's log whether a send that failed without a
// refusal (a timeout, a reset, a lost 5xx answer) went out after all. A
// message found there is the reminder: it is adopted, so the chat says it
// was sent and the dashboard is not led to send it twice.
func (r *Reminders) settle(ctx context.Context, rem Reminder, since time.Time, sendErr error) (Receipt, error) {
	var refusal *Refusal
	if r.Sent == nil || errors.As(sendErr, &refusal) {
		return Receipt{}, sendErr
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deadlines.ReminderLogLookup)
	defer cancel()
	receipt, found, err := r.Sent.FindSent(ctx, rem.To, rem.Text, since)
	if err != nil || !found {
		return Receipt{}, sendErr
	}
	return receipt, nil
}

// Check applies the checks Send makes before anything is written or sent,
// for a batch's dry run.
// It reports when the reminder would be scheduled for (zero: now), quiet
// hours applied.
func (r *Reminders) Check(rem Reminder) (time.Time, error) {
	site, err := r.site(rem)
	if err != nil {
		return time.Time{}, err
	}
	if err := r.validate(rem, site); err != nil {
		return time.Time{}, err
	}
	rem, err = r.applyQuietHours(rem, site)
	return rem.SendAt, err
}

// validate applies the rules that need no network: text length, and the
// scheduling window Twilio enforces, checked here so the admin learns why
// before anything is posted.
func (r *Reminders) validate(rem Reminder, site reminderSite) error {
	switch {
	case rem.To.IsZero():
		return Errorf(ErrInvalid, "invalid_phone", "The phone number is missing.")
	case rem.AdminID == "":
		return Errorf(ErrUnauthenticated, "unauthenticated", "The reminder has no author.")
	case strings.TrimSpace(rem.Text) == "":
		return Errorf(ErrInvalid, "empty_text", "The message text is empty.")
	case utf8.RuneCountInString(rem.Text) > MaxTextLength:
		return Errorf(ErrInvalid, "text_too_long", "The message text is longer than %d characters.", MaxTextLength)
	case checkText(rem.Text) != nil:
		return checkText(rem.Text)
	case rem.SendAt.IsZero():
		return nil
	case !site.canSchedule:
		return site.noScheduling("Scheduled reminders need a Twilio Messaging Service (%s); send it now instead.")
	}
	if ahead := rem.SendAt.Sub(r.now()); ahead < MinScheduleAhead || ahead > MaxScheduleAhead {
		return Errorf(ErrInvalid, "send_at_out_of_range", "sendAt must be between 15 minutes and 35 days from now.")
	}
	return nil
}

// message is the reminder as posted, before the send (docs/contract.md §3).
func (r *Reminders) message(rem Reminder, res ReminderResult) ChatMessage {
	fields := map[string]any{
		FieldDirection: DirectionOutbound,
		FieldOrigin:    OriginReminder,
		FieldStatus:    StatusPending,
	}
	if !rem.SendAt.IsZero() {
		fields[FieldSendAt] = rem.SendAt.UTC().Format(time.RFC3339)
	}
	if rem.Key != "" {
		fields[FieldReminderKey] = rem.Key
	}
	return ChatMessage{ID: res.MessageID, ChannelID: res.ChannelID, UserID: rem.AdminID, Text: rem.Text, Fields: fields}
}

// notSent marks the reminder failed and returns the error for the caller: a
// provider refusal keeps its code (Twilio's number), so the dashboard can
// show it; an opt-out refusal also marks the channel, so the next reminder
// is refused before it reaches Twilio.
func (r *Reminders) notSent(ctx context.Context, res ReminderResult, sendErr error) (ReminderResult, error) {
	// Detached, so a caller that hangs up cannot leave the reminder looking
	// pending.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deadlines.ReminderMark)
	defer cancel()
	res.Outcome = OutcomeFailed
	var refusal *Refusal
	if !errors.As(sendErr, &refusal) {
		// Not "failed": the provider may still report that it sent it, and
		// a status callback must be able to say so (StatusAdvances).
		res.MarkErr = r.mark(ctx, res, map[string]any{FieldStatus: StatusUnconfirmed, FieldErrorCode: "unavailable",
			FieldError: "The SMS service did not confirm the reminder; it was most likely not sent. Try again later."})
		return res, fmt.Errorf("send reminder %s: %w", res.MessageID, sendErr)
	}
	res.MarkErr = r.markFailed(ctx, res, refusal.Code, ErrorSentence(refusal.Code))
	if errors.Is(refusal, ErrOptedOut) && res.MarkErr == nil {
		if err := r.Chat.UpdateChannel(ctx, res.ChannelID, map[string]any{FieldOptedOut: true}); err != nil {
			res.MarkErr = fmt.Errorf("record opt-out for reminder %s: %w", res.MessageID, err)
		}
	}
	return res, &Error{Kind: refusal.Unwrap(), Code: strconv.Itoa(refusal.Code), Message: refusal.Error()}
}

func (r *Reminders) markFailed(ctx context.Context, res ReminderResult, code any, sentence string) error {
	return r.mark(ctx, res, failedFields(code, sentence))
}

func (r *Reminders) mark(ctx context.Context, res ReminderResult, fields map[string]any) error {
	status, _ := fields[FieldStatus].(string)
	if _, err := r.statuses().Write(ctx, res.MessageID, status, fields); err != nil {
		return fmt.Errorf("mark reminder %s not sent: %w", res.MessageID, err)
	}
	return nil
}

func (r *Reminders) statuses() *Statuses {
	if r.Statuses != nil {
		return r.Statuses
	}
	return &Statuses{Chat: r.Chat}
}

func (r *Reminders) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Reminders) newID() string {
	if r.NewID != nil {
		return r.NewID()
	}
	return NewReminderID()
}

// NewReminderID returns a fresh reminder message id: "reminder-" and 32 hex
// digits. Each API call is a new reminder, so the id is random.
func NewReminderID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "reminder-" + hex.EncodeToString(b[:])
}
