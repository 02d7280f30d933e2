package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// FieldReminderKey holds a batch reminder's row key (docs/batch.md): the
// chat's own record that the row was sent, which outlives any process and
// any coordination store.
const FieldReminderKey = "sms_reminder_key"

// RowOutcome is what happened to one batch row.
type RowOutcome string

const (
	RowSent          RowOutcome = "sent"
	RowScheduled     RowOutcome = "scheduled"
	RowAlreadySent   RowOutcome = "already_sent"   // an earlier run (or row) sent it: nothing sent now
	RowRefused       RowOutcome = "refused"        // the row cannot be sent as it is; Code says why
	RowFailed        RowOutcome = "failed"         // a failure a later run may get past; Code says why
	RowWouldSend     RowOutcome = "would_send"     // --dry-run
	RowWouldSchedule RowOutcome = "would_schedule" // --dry-run
)

// RowResult is one row's result. It names no number and no text.
type RowResult struct {
	Outcome   RowOutcome `json:"outcome"`
	Code      string     `json:"code,omitempty"`   // the refusal's or failure's machine code
	Reason    string     `json:"reason,omitempty"` // its plain sentence
	MessageID string     `json:"messageId,omitempty"`
	Sid       string     `json:"sid,omitempty"`
	Status    string     `json:"status,omitempty"`
	// NextAllowedAt is, for a row refused for quiet hours, the first time
	// it may be sent (see --when-allowed).
	NextAllowedAt *time.Time `json:"nextAllowedAt,omitempty"`
}

// Done reports whether the row needs nothing more: sent, scheduled or
// already sent (or would be, in a dry run).
func (r RowResult) Done() bool { return r.Outcome != RowRefused && r.Outcome != RowFailed }

// BatchChat is what a batch needs from the chat besides sending reminders;
// streamhook.Chat implements it.
type BatchChat interface {
	// FindReminder returns the channel's reminder whose FieldReminderKey
	// is one of keys, if there is one: of several, one with the earliest
	// of keys.
	FindReminder(ctx context.Context, channelID string, keys ...string) (ChatMessage, bool, error)
}

// BatchStore is the coordination store as a batch uses it; coord.Store
// implements it.
type BatchStore interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	Release(ctx context.Context, key string) error
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Batch sends a file's reminders one row at a time through Reminders.Send,
// the path /send-reminder takes, so every rule of a single reminder holds
// (opt-out, mirroring in the chat, marks), and no row is sent twice.
type Batch struct {
	Reminders *Reminders
	Chat      BatchChat
	Store     BatchStore
	Keys      *RowKeys // the row and store keys (rowkey.go)
}

// rowNames are the names a row is known by: its key and store key, and the
// unsalted names of earlier versions (rowkey.go), recognised for
// LegacyKeyWindow. legacyRow is empty when the file gave the key, which
// sms_reminder_key carries unchanged.
type rowNames struct {
	store, legacyStore, legacyRow string
}

// Send sends rem unless it was sent before (a rem without a Key is keyed
// by RowKey):
//
//  1. the row's key is claimed in the store, so two runs at once send it once;
//  2. a result kept in the store, or a reminder in the patient's channel
//     carrying the key, means it was sent (or refused) already;
//  3. otherwise it is sent, and the result kept.
//
// A row found in the chat is never sent again, whatever its status: a
// reminder that is "unconfirmed" may have gone out. Changing the row's key
// sends it anew.
func (b *Batch) Send(ctx context.Context, rem Reminder) RowResult {
	rem, names := b.keyed(rem)
	if _, err := b.Reminders.Check(rem); err != nil {
		return RowError(err)
	}
	storeKey := names.store
	ok, err := b.Store.Claim(ctx, storeKey+":working", deadlines.BatchRowWork)
	if err != nil {
		return RowError(fmt.Errorf("claim the row: %w", err))
	}
	if !ok {
		return RowResult{Outcome: RowFailed, Code: "in_progress", Reason: "Another run is sending this row right now."}
	}
	defer func() { _ = b.Store.Release(context.WithoutCancel(ctx), storeKey+":working") }()
	if res, found, err := b.earlier(ctx, names, rem); found || err != nil {
		if err != nil {
			return RowError(err)
		}
		return res
	}
	res, err := b.Reminders.Send(ctx, rem)
	out := rowResult(res, err)
	if out.Outcome != RowFailed {
		raw, _ := json.Marshal(out)
		_ = b.Store.Put(context.WithoutCancel(ctx), storeKey, raw, deadlines.BatchRowResult)
	}
	return out
}

// Check is Send without sending: the row's checks, then whether it was sent
// before (read-only: nothing is claimed, posted or kept).
func (b *Batch) Check(ctx context.Context, rem Reminder) RowResult {
	rem, names := b.keyed(rem)
	sendAt, err := b.Reminders.Check(rem)
	if err != nil {
		return RowError(err)
	}
	if res, found, err := b.earlier(ctx, names, rem); found || err != nil {
		if err != nil {
			return RowError(err)
		}
		return res
	}
	if sendAt.IsZero() {
		return RowResult{Outcome: RowWouldSend}
	}
	return RowResult{Outcome: RowWouldSchedule}
}

// earlier finds an earlier result of the row: in the store, then in the
// patient's channel (one search for both its keys). A result under the
// legacy store key has lived at most LegacyKeyWindow; a reminder under the
// legacy row key counts when it is younger than that.
func (b *Batch) earlier(ctx context.Context, names rowNames, rem Reminder) (RowResult, bool, error) {
	for _, key := range []string{names.store, names.legacyStore} {
		raw, ok, err := b.Store.Get(ctx, key)
		if err != nil {
			return RowResult{}, false, fmt.Errorf("read the row's earlier result: %w", err)
		}
		var kept RowResult
		if ok && json.Unmarshal(raw, &kept) == nil {
			return earlierResult(kept), true, nil
		}
	}
	keys := []string{rem.Key}
	if names.legacyRow != "" {
		keys = append(keys, names.legacyRow)
	}
	site, err := b.Reminders.site(rem)
	if err != nil {
		return RowResult{}, false, nil // refused by the send, before anything is written
	}
	// The (patient, location) channel the row's reminder went to.
	m, found, err := b.Chat.FindReminder(ctx, site.channelID, keys...)
	if err != nil || !found {
		return RowResult{}, false, err
	}
	if m.Fields[FieldReminderKey] == names.legacyRow && b.Reminders.now().Sub(m.CreatedAt) > LegacyKeyWindow {
		return RowResult{}, false, nil
	}
	return fromChat(m), true, nil
}

// earlierResult is how a kept result reads in a later run: what was sent
// is "already sent"; a refusal stands, as it would be refused again.
func earlierResult(kept RowResult) RowResult {
	if kept.Outcome == RowSent || kept.Outcome == RowScheduled {
		kept.Outcome = RowAlreadySent
	}
	return kept
}

// fromChat reads an earlier run's reminder from the chat.
func fromChat(m ChatMessage) RowResult {
	status, _ := m.Fields[FieldStatus].(string)
	sid, _ := m.Fields[FieldSID].(string)
	res := RowResult{Outcome: RowAlreadySent, MessageID: m.ID, Sid: sid, Status: status}
	switch status {
	case StatusFailed, StatusUndelivered:
		res.Outcome, res.Code = RowRefused, fmt.Sprint(m.Fields[FieldErrorCode])
		res.Reason, _ = m.Fields[FieldError].(string)
	case StatusPending, StatusUnconfirmed:
		res.Outcome, res.Code = RowFailed, "unconfirmed"
		res.Reason = "An earlier run may have sent this reminder; check the chat, and give the row a new key to send it again."
	}
	return res
}

func rowResult(res ReminderResult, err error) RowResult {
	if err != nil {
		out := RowError(err)
		out.MessageID = res.MessageID
		return out
	}
	out := RowResult{Outcome: RowSent, MessageID: res.MessageID, Sid: res.Sid, Status: res.Status}
	if !res.SendAt.IsZero() { // a sendAt, or the end of quiet hours
		out.Outcome = RowScheduled
	}
	return out
}

// RowError turns a refusal (the caller's or the provider's, for good) into
// "refused" and anything a retry may fix into "failed".
func RowError(err error) RowResult {
	out := RowResult{Outcome: RowFailed, Code: "unavailable", Reason: "Stream or Twilio failed; run the file again later."}
	var be *Error
	if errors.As(err, &be) {
		out.Code, out.Reason = be.Code, be.Message
		if !be.NextAllowedAt.IsZero() {
			out.NextAllowedAt = &be.NextAllowedAt
		}
	} else if cause := causeOf(err); cause != "" {
		out.Reason = "Stream or Twilio failed (" + cause + "); run the file again later."
	}
	for _, kind := range []error{ErrInvalid, ErrOptedOut, ErrQuietHours, ErrUpstream, ErrUnprocessable, ErrUnauthenticated} {
		if errors.Is(err, kind) {
			out.Outcome = RowRefused
		}
	}
	return out
}

// causer is a vendor's failure that says why in plain words, host and
// reason ("Stream at chat.stream-io-api.com: cannot resolve"), never a
// request, a number or a secret (streamhook's and twiliohook's
// unreachable errors).
type causer interface{ Cause() string }

// causeOf is err's cause in plain words, or "" when it gives none.
func causeOf(err error) string {
	var c causer
	if errors.As(err, &c) {
		return c.Cause()
	}
	return ""
}

// keyed gives rem its row key when the file gave none, and names the row.
func (b *Batch) keyed(rem Reminder) (Reminder, rowNames) {
	legacyKey := rem.Key
	var names rowNames
	if rem.Key == "" {
		// A row for another location than the first is another reminder;
		// a first-location row keeps the key it had before locations.
		keyOf := rem
		if site, err := b.Reminders.site(rem); err != nil || len(b.Reminders.Locations) == 0 || site.loc.ID == b.Reminders.Locations[0].ID {
			keyOf.Location = ""
		} else {
			keyOf.Location = site.loc.ID
		}
		rem.Key, legacyKey = b.Keys.RowKey(keyOf), legacyRowKey(keyOf)
		names.legacyRow = legacyKey
	}
	names.store, names.legacyStore = b.Keys.storeKey(rem.Key), legacyStoreKey(legacyKey)
	return rem, names
}
