package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// A reply whose first attempt failed at the provider is marked "pending …
// retrying". When the chat then fails every retry, nothing writes it again:
// nothing was sent, so the provider's log does not know it either. Such
// replies are found in the chat by their status and marked "unconfirmed",
// the mark Stream's last attempt writes when it can.

// abandonedReplies finds the admin replies written since then that are
// still "pending" deadlines.ReplyAbandoned after their creation. Reminders
// are left out: theirs is not a pending that Stream retries.
func (r *Reconciler) abandonedReplies(ctx context.Context, since time.Time) ([]ChatMessage, error) {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	before := now().Add(-deadlines.ReplyAbandoned)
	if !before.After(since) {
		return nil, nil
	}
	var found []ChatMessage
	err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
		found, err = r.Chat.FindPending(ctx, since, before)
		return err
	})
	if err != nil {
		return nil, err
	}
	replies := found[:0]
	for _, m := range found {
		if m.Fields[FieldOrigin] == nil && m.Fields[FieldSID] == nil {
			replies = append(replies, m)
		}
	}
	return replies, nil
}

// unconfirm marks m "unconfirmed" through the status writer, whose order
// keeps any status written meanwhile (a late send, a callback): the search's
// copy of m may already be stale.
func (r *Reconciler) unconfirm(ctx context.Context, m ChatMessage) ReconcileItem {
	it := ReconcileItem{MessageID: m.ID, Action: ActionUnconfirmed, Status: StatusUnconfirmed}
	if r.DryRun {
		return it
	}
	var written bool
	err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
		written, err = r.Statuses.Write(ctx, m.ID, StatusUnconfirmed, unconfirmedFields())
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound), err == nil && !written:
		it.Action, it.Status = ActionUpToDate, "" // deleted, or moved on meanwhile
	case err != nil:
		return failed(it, err)
	}
	return it
}
