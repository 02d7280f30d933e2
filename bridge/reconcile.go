package bridge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// LoggedSMS is one of the clinic's messages as the SMS provider's message
// log keeps it. The log outlives any outage, which is what lets a stateless
// bridge repair what its webhooks lost.
type LoggedSMS struct {
	Sid     string
	Inbound bool  // received from a patient; otherwise sent by the clinic
	Patient Phone // the sender of an inbound message, the recipient of an outbound one
	// Clinic is the clinic's number: the To of an inbound message, the From
	// of an outbound one (Twilio records the number a Messaging Service
	// picked). ServiceSID is the Messaging Service the message went
	// through, when any. Together they name the message's location.
	Clinic     string
	ServiceSID string
	Body       string // what the patient wrote (inbound)
	NumMedia   int
	Status     string // the provider's status: "received", "delivered", "failed", ...
	ErrorCode  int
	SentAt     time.Time
}

// SMSLog is what reconciling needs from the SMS provider (Twilio keeps every
// message). twiliohook.Log implements it.
type SMSLog interface {
	// Messages lists the clinic's messages sent or received since then,
	// oldest first.
	Messages(ctx context.Context, since time.Time) ([]LoggedSMS, error)
	// Media lists an inbound message's media exactly as the inbound webhook
	// carries them (same URLs and content types, same order).
	Media(ctx context.Context, sid string) ([]Media, error)
}

// ReconcileChat is what reconciling needs from the chat service besides
// what the relays it reuses need. streamhook.Chat implements it.
type ReconcileChat interface {
	// GetMessage returns a message, or an error wrapping ErrNotFound.
	GetMessage(ctx context.Context, id string) (ChatMessage, error)
	// FindBySID returns the messages of the given channels whose sms_sid is
	// one of sids, with their custom fields. Callers pass at most
	// MaxFindBatch channel ids and sids.
	FindBySID(ctx context.Context, channelIDs, sids []string) ([]ChatMessage, error)
	// UpdateChannel sets custom fields on a channel.
	UpdateChannel(ctx context.Context, channelID string, set map[string]any) error
	// FindPending returns the messages of patient channels created at or
	// after since and before before whose sms_status is "pending", with
	// their custom fields.
	FindPending(ctx context.Context, since, before time.Time) ([]ChatMessage, error)
}

// MaxFindBatch bounds a FindBySID call: Stream returns at most 100 results
// per page and searches at most 500 channels.
const MaxFindBatch = 100

// Reconciler repairs, from the SMS provider's log, what the webhooks lost
// while the bridge or the chat was down: inbound SMS missing from the chat
// are posted by the webhook's own relay, and outbound messages whose chat
// copy still shows a non-final status get the status the provider reports,
// through the status callback's own writer. It keeps no state: inbound ids
// are derived from the sid and statuses only move forward, so it is safe to
// run again and from several places at once.
type Reconciler struct {
	Log      SMSLog
	Chat     ReconcileChat
	Inbound  *Inbound  // the relay /receive-sms uses
	Statuses *Statuses // the writer /twilio-status uses
	DryRun   bool      // find and report, change nothing
	Retry    Backoff
	// Now is the clock abandoned replies are measured by; nil: time.Now.
	Now func() time.Time
	// Observe, when set, sees every message's outcome as it happens, with
	// how many of the total are done (for progress and logs).
	Observe func(item ReconcileItem, done, total int)
}

// ReconcileAction is what reconciling did, or in a dry run would do, with
// one message.
type ReconcileAction string

const (
	ActionPresent   ReconcileAction = "present"     // the inbound message is in the chat
	ActionRestore   ReconcileAction = "restore"     // the inbound message was posted
	ActionSetStatus ReconcileAction = "set_status"  // the provider's status was written
	ActionUpToDate  ReconcileAction = "up_to_date"  // the chat's status needs nothing
	ActionNotInChat ReconcileAction = "not_in_chat" // no chat message carries the sid
	// ActionUnconfirmed: a reply left "pending" after Stream's retries was
	// marked "unconfirmed" (not sent; send it again).
	ActionUnconfirmed ReconcileAction = "unconfirmed"
	ActionFailed      ReconcileAction = "failed"
)

// ReconcileItem is the outcome for one message. Err never holds a message
// body or a number: errors here wrap sids, operations and codes only.
type ReconcileItem struct {
	Sid       string
	MessageID string // the chat message, when known
	Action    ReconcileAction
	Status    string // set_status: the status written (or to write)
	Err       error  // failed: why
}

// ReconcileReport sums up a run. Items lists the restores, status changes
// and failures in the order they happened.
type ReconcileReport struct {
	Since           time.Time
	DryRun          bool
	Checked         int
	AlreadyPresent  int
	Restored        int
	StatusesUpdated int
	Unconfirmed     int // replies left pending, marked unconfirmed
	Failed          int
	Items           []ReconcileItem
}

// Run reconciles every message the log holds since then, and the replies
// written since then that were left "pending". It always returns a report;
// Failed counts what could not be checked or repaired.
func (r *Reconciler) Run(ctx context.Context, since time.Time) ReconcileReport {
	rep := ReconcileReport{Since: since, DryRun: r.DryRun}
	var msgs []LoggedSMS
	err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
		msgs, err = r.Log.Messages(ctx, since)
		return err
	})
	if err != nil {
		rep.add(ReconcileItem{Action: ActionFailed, Err: fmt.Errorf("list messages: %w", err)})
		msgs = nil
	}
	// The replies left pending are not in the log: a failed listing does
	// not keep them from being found.
	pending, err := r.abandonedReplies(ctx, since)
	if err != nil {
		rep.add(ReconcileItem{Action: ActionFailed, Err: fmt.Errorf("find replies left pending: %w", err)})
	}
	r.repair(ctx, &rep, msgs, pending)
	return rep
}

// repair checks every message of the log and every reply left pending.
func (r *Reconciler) repair(ctx context.Context, rep *ReconcileReport, msgs []LoggedSMS, pending []ChatMessage) {
	// Oldest first, so restored messages land in the order patients sent
	// them; stable, so the log's order stands within a timestamp's second.
	slices.SortStableFunc(msgs, func(a, b LoggedSMS) int { return a.SentAt.Compare(b.SentAt) })
	inbound, outbound := splitDirection(msgs)
	latest := r.latestOptOuts(inbound)
	done, total := 0, len(msgs)+len(pending)
	note := func(it ReconcileItem) {
		done++
		rep.Checked++
		rep.add(it)
		if r.Observe != nil {
			r.Observe(it, done, total)
		}
	}
	for _, m := range inbound {
		note(r.inbound(ctx, m, latest))
	}
	for batch := range slices.Chunk(outbound, MaxFindBatch) {
		for _, it := range r.statuses(ctx, batch) {
			note(it)
		}
	}
	for _, m := range pending {
		note(r.unconfirm(ctx, m))
	}
}

func (rep *ReconcileReport) add(it ReconcileItem) {
	switch it.Action {
	case ActionPresent:
		rep.AlreadyPresent++
		return
	case ActionRestore:
		rep.Restored++
	case ActionSetStatus:
		rep.StatusesUpdated++
	case ActionUnconfirmed:
		rep.Unconfirmed++
	case ActionFailed:
		rep.Failed++
	default:
		return
	}
	rep.Items = append(rep.Items, it)
}

func splitDirection(msgs []LoggedSMS) (inbound, outbound []LoggedSMS) {
	for _, m := range msgs {
		if m.Inbound {
			inbound = append(inbound, m)
		} else {
			outbound = append(outbound, m)
		}
	}
	return inbound, outbound
}

// inbound makes sure the chat holds m, posting it through the webhook's
// relay when it is missing.
func (r *Reconciler) inbound(ctx context.Context, m LoggedSMS, latest map[string]optOut) ReconcileItem {
	it := ReconcileItem{Sid: m.Sid, MessageID: InboundMessageID(m.Sid), Action: ActionPresent}
	err := r.Retry.Do(ctx, func(ctx context.Context) error {
		_, err := r.Chat.GetMessage(ctx, it.MessageID)
		return err
	})
	switch {
	case err == nil:
		return it
	case !errors.Is(err, ErrNotFound):
		return failed(it, fmt.Errorf("look up %s: %w", it.MessageID, err))
	case r.DryRun:
		it.Action = ActionRestore
		return it
	}
	return r.restore(ctx, m, it, latest)
}

func (r *Reconciler) restore(ctx context.Context, m LoggedSMS, it ReconcileItem, latest map[string]optOut) ReconcileItem {
	sms := InboundSMS{MessageSid: m.Sid, From: m.Patient, To: m.Clinic, MessagingServiceSid: m.ServiceSID, Body: m.Body, ReceivedAt: m.SentAt}
	if m.NumMedia > 0 {
		// Never post an MMS without its media: once posted, it would count
		// as present and the attachments would be lost for good.
		err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
			sms.Media, err = r.Log.Media(ctx, m.Sid)
			return err
		})
		if err != nil {
			return failed(it, fmt.Errorf("list media of %s: %w", m.Sid, err))
		}
	}
	tries := 0
	var res InboundResult
	err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
		tries++
		res, err = r.Inbound.Relay(ctx, sms)
		return err
	})
	if err != nil {
		return failed(it, err)
	}
	if res.Outcome == OutcomeDuplicate && tries == 1 {
		return it // posted meanwhile by a webhook retry or another run
	}
	it.Action = ActionRestore
	if err := r.settleOptOut(ctx, m, res, latest); err != nil {
		return failed(it, err)
	}
	return it
}

func failed(it ReconcileItem, err error) ReconcileItem {
	it.Action, it.Err = ActionFailed, err
	return it
}
