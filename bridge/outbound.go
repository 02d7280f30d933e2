package bridge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// OutboundChat is what the outbound relay needs from the chat service.
type OutboundChat interface {
	// GetMessage returns a message with its custom fields and creation
	// time, or an error wrapping ErrNotFound.
	GetMessage(ctx context.Context, id string) (ChatMessage, error)
	// UpdateMessage sets custom fields on a message (nil values unset).
	UpdateMessage(ctx context.Context, id string, set map[string]any) error
	// UpdateChannel sets custom fields on a channel.
	UpdateChannel(ctx context.Context, channelID string, set map[string]any) error
	// ReadChannel returns a channel's fields (one Get or Create Channel
	// call, which creates nothing), for events that did not carry them.
	ReadChannel(ctx context.Context, channelID string) (ChannelState, error)
}

// ChatEvent is a chat webhook event, reduced to what the relay decides on.
type ChatEvent struct {
	Type        string // "message.new", ...
	ChannelType string
	ChannelID   string
	Message     EventMessage
	Attempt     int // 1 for the first delivery; Stream counts retries up
	// Channel holds the channel's fields when the event carried them
	// (Stream's channel_custom); nil: the relay reads them once.
	Channel *ChannelState
}

// EventMessage is the message an event is about.
type EventMessage struct {
	ID         string
	Text       string
	Type       string // "regular", "system", "ephemeral", "error", "deleted", "reply"
	Silent     bool
	Deleted    bool
	AuthorID   string
	AuthorRole string
	MediaURLs  []string
	Media      []MediaInfo // what the chat says of each of MediaURLs, in order
	CreatedAt  time.Time   // when Stream stored it (covered by the webhook's signature); zero: unknown
	// Marked: the message carries sms_direction, so the bridge wrote it (an
	// inbound SMS or a reminder) and must not send it again.
	Marked bool
}

// Outbound relays admins' chat messages to patients as SMS.
type Outbound struct {
	Chat        OutboundChat
	Sender      Sender
	Sent        SentLog  // optional: lets retries adopt a message sent by an earlier attempt
	ChannelType string   // the SMS channel type
	AdminRoles  []string // roles whose messages are sent
	PublicURL   string   // for status callbacks
	// SendTimeout bounds the SMS provider call, leaving the rest of the
	// webhook's budget for marking the message (Stream gives up at 6 s).
	SendTimeout time.Duration
	// Ledger holds the send claims, so concurrent deliveries of one message
	// (Stream's retry overlapping a slow first attempt, two replicas, a
	// replay) send it once. Nil: no claims, for a single caller.
	Ledger Ledger
	// Statuses writes the marks; nil: one without a ledger.
	Statuses *Statuses
	// Now is the WhatsApp window's clock; nil: time.Now.
	Now func() time.Time
}

func (o *Outbound) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Relay sends ev's message to the patient when the rules say so, then marks
// the chat message with the result. A nil error with OutcomeIgnored,
// OutcomeDuplicate or OutcomeFailed means there is nothing to retry; an
// error wrapping ErrUnavailable asks the caller to answer so that Stream
// retries.
func (o *Outbound) Relay(ctx context.Context, ev ChatEvent) (Outcome, error) {
	if o.ignore(ev) {
		return OutcomeIgnored, nil
	}
	m := ev.Message
	if utf8.RuneCountInString(m.Text) > MaxTextLength {
		return OutcomeFailed, o.mark(ctx, m.ID, failedFields("too_long",
			fmt.Sprintf("The message is longer than %d characters and was not sent. Shorten it and send it again.", MaxTextLength)))
	}
	outcome, claimed, unknown, err := o.claim(ctx, m.ID)
	if !claimed || err != nil {
		return outcome, err
	}
	// The reads before the send (the channel, the message) share one budget
	// and run side by side.
	readBy := time.Now().Add(deadlines.ReplyReadBack)
	dest := o.readDestination(ctx, ev, readBy)
	defer dest.stop()
	if !o.knownUnsent(ev, unknown) {
		if outcome, done, err := o.recover(ctx, ev, dest, readBy); done || err != nil {
			return o.gaveUp(ctx, ev, outcome, err)
		}
	}
	d := dest.wait()
	switch {
	case errors.Is(d.err, ErrNotFound):
		return o.gaveUp(ctx, ev, OutcomeIgnored, nil) // the conversation is gone: no one to text
	case d.err != nil:
		return o.gaveUp(ctx, ev, "", d.err)
	case d.refusal != nil:
		// Checked after the read-back: a reply sent before the patient
		// opted out stays marked sent.
		return OutcomeFailed, o.refusedHere(ctx, ev, d.refusal)
	}
	if r := whatsAppMediaRefusal(d.to, ev.Message.Media); r != nil {
		return OutcomeFailed, o.refusedHere(ctx, ev, r)
	}
	return o.sendAndMark(ctx, ev, d)
}

// sendAndMark hands the reply to the provider and marks what came of it.
func (o *Outbound) sendAndMark(ctx context.Context, ev ChatEvent, d destination) (Outcome, error) {
	receipt, err := o.send(ctx, ev, d)
	var refusal *Refusal
	switch {
	case errors.As(err, &refusal):
		return OutcomeFailed, o.refused(ctx, ev, refusal)
	case err != nil:
		o.markNotSent(ctx, ev)
		o.release(ctx, ev.Message.ID) // let Stream's retry try again
		return "", fmt.Errorf("send reply %s: %w", ev.Message.ID, err)
	}
	return o.markSent(ctx, ev.Message.ID, receipt, ev.Attempt > 1), nil
}

// gaveUp ends a delivery that stopped before the send: read back and found
// done (outcome), or failed to read (err). After Stream's last attempt a
// failure leaves the admin "unconfirmed" (when the chat takes the write),
// not "pending … retrying"; a message found sent keeps its claim.
func (o *Outbound) gaveUp(ctx context.Context, ev ChatEvent, outcome Outcome, err error) (Outcome, error) {
	if err != nil && ev.Attempt >= streamMaxAttempts {
		o.markNotSent(ctx, ev)
	}
	o.releaseUnlessSent(ctx, ev.Message.ID, outcome, err)
	return outcome, err
}

// claim takes the message for this delivery. Another delivery holding it
// is either done (the ledger knows the SMS went out: a duplicate, 200) or
// still at work (503, so Stream retries and then finds the message marked).
// It also reports whether the ledger had never heard of the message.
func (o *Outbound) claim(ctx context.Context, id string) (outcome Outcome, claimed, unknown bool, err error) {
	if o.Ledger == nil {
		return "", true, false, nil
	}
	ok, err := o.Ledger.Claim(ctx, sendKey(id), deadlines.SendClaim)
	switch {
	case err != nil:
		return "", false, false, fmt.Errorf("claim reply %s: %w", id, unavailable(err))
	case ok:
		unknown = o.statuses().Know(ctx, id) // callbacks need not read it
		return "", true, unknown, nil
	case o.statuses().Sent(ctx, id):
		return OutcomeDuplicate, false, false, nil
	}
	return "", false, false, fmt.Errorf("reply %s is being sent by another delivery: %w", id, ErrUnavailable)
}

// knownUnsent reports whether the ledger alone shows the message was never
// sent, so the read-back (a Get Message call, against Stream's tightest
// message quota) can be skipped: the first delivery of a message written
// moments ago that no delivery sharing the ledger has claimed or marked.
// A replayed or late delivery is not fresh, and a retry may follow a send
// whose answer was lost: both are read back as before.
func (o *Outbound) knownUnsent(ev ChatEvent, unknownToLedger bool) bool {
	created := ev.Message.CreatedAt
	return unknownToLedger && ev.Attempt <= 1 && !created.IsZero() && time.Since(created) < deadlines.FreshReply
}

// release gives the claim back, so a later delivery may send the message.
func (o *Outbound) release(ctx context.Context, id string) {
	if o.Ledger != nil {
		_ = o.Ledger.Release(context.WithoutCancel(ctx), sendKey(id))
	}
}

// releaseUnlessSent releases the claim after a read-back that sent nothing
// and failed, so a retry can try again; a message found sent keeps it.
func (o *Outbound) releaseUnlessSent(ctx context.Context, id string, outcome Outcome, err error) {
	if err != nil || outcome == OutcomeIgnored {
		o.release(ctx, id)
	}
}

func (o *Outbound) statuses() *Statuses {
	if o.Statuses != nil {
		return o.Statuses
	}
	return &Statuses{Chat: o.Chat, Ledger: o.Ledger}
}

// streamMaxAttempts is how often Stream delivers a webhook answered 5xx
// (its documented policy: 3 attempts for 408, 429 and 5xx).
const streamMaxAttempts = 3

// ignore holds the relay rules (docs/contract.md §4.2): only new, visible
// messages by an admin role in an SMS channel that the bridge did not write.
func (o *Outbound) ignore(ev ChatEvent) bool {
	m := ev.Message
	switch {
	case ev.Type != "message.new", ev.ChannelType != o.ChannelType, ev.ChannelID == "", m.ID == "":
		return true
	case m.Marked, m.Silent, m.Deleted:
		return true
	case m.Type != "" && m.Type != "regular" && m.Type != "reply":
		return true
	case !slices.Contains(o.AdminRoles, m.AuthorRole):
		return true
	}
	return m.Text == "" && len(m.MediaURLs) == 0
}

// recover reads the message back before anything is sent, so no delivery
// sends a reply twice: not a retry (X-Webhook-Attempt > 1), and not a
// replay or a duplicate delivery either, since the attempt header is not
// covered by Stream's signature. A reply marked with sms_sid was sent.
// After an earlier attempt (a retry, or a "pending" mark) the provider may
// have sent it without the bridge learning the answer, so its log is asked
// first; a message found there is adopted, not sent again.
func (o *Outbound) recover(ctx context.Context, ev ChatEvent, dest *pendingDestination, readBy time.Time) (Outcome, bool, error) {
	readCtx, cancel := context.WithDeadline(ctx, readBy)
	msg, err := o.Chat.GetMessage(readCtx, ev.Message.ID)
	cancel()
	switch {
	case errors.Is(err, ErrNotFound) && ev.Attempt > 1:
		return OutcomeIgnored, true, nil // deleted since: nothing to send
	case err != nil && ev.Attempt <= 1:
		// A first delivery is the message itself: a chat that cannot be
		// read (or not yet) must not keep the reply from going out.
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read reply %s before resending: %w", ev.Message.ID, err)
	}
	if sid, _ := msg.Fields[FieldSID].(string); sid != "" {
		return OutcomeDuplicate, true, nil
	}
	status, _ := msg.Fields[FieldStatus].(string)
	// A first delivery of a fresh message has nothing to find. An older one
	// may follow a send whose answer and mark were both lost, on another
	// replica or before a restart: Twilio's log says.
	fresh := msg.CreatedAt.IsZero() || time.Since(msg.CreatedAt) < deadlines.FreshReply
	if o.Sent == nil || (ev.Attempt <= 1 && status == "" && fresh) {
		return "", false, nil
	}
	d := dest.wait()
	if d.err != nil {
		return "", false, nil // the caller answers for the channel
	}
	receipt, found, err := o.Sent.FindSent(ctx, d.to, ev.Message.Text, msg.CreatedAt)
	if err != nil {
		return "", false, fmt.Errorf("look up reply %s in the SMS log: %w", ev.Message.ID, err)
	}
	if !found {
		return "", false, nil
	}
	return o.markSent(ctx, ev.Message.ID, receipt, true), true, nil
}

func (o *Outbound) send(ctx context.Context, ev ChatEvent, d destination) (Receipt, error) {
	if o.SendTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.SendTimeout)
		defer cancel()
	}
	return o.Sender.Send(ctx, OutboundMessage{
		To:             d.to,
		From:           d.from,
		Body:           ev.Message.Text,
		MediaURLs:      ev.Message.MediaURLs,
		StatusCallback: StatusCallbackURL(o.PublicURL, ev.Message.ID),
	})
}
