package bridge

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Twilio message statuses the bridge writes or compares.
const (
	StatusFailed      = "failed"
	StatusUndelivered = "undelivered"
)

// statusRank orders the values of sms_status: a status only ever replaces
// one of a lower rank, so a late "sent" never overwrites "delivered". The
// bridge's own "pending" and "unconfirmed" (not sent yet, most likely not
// sent) rank below every status the provider reports.
var statusRank = map[string]int{
	StatusPending: 1, StatusUnconfirmed: 2,
	"accepted": 10, "scheduled": 10,
	"queued":    20,
	"sending":   30,
	"sent":      40,
	"delivered": 50, "undelivered": 50, "failed": 50, "canceled": 50,
	"read": 60,
}

// StatusAdvances reports whether next may replace current. Unknown next
// statuses never replace anything; anything replaces an unknown current.
func StatusAdvances(current, next string) bool {
	n, ok := statusRank[next]
	if !ok {
		return false
	}
	return n > statusRank[current]
}

// StatusUpdate is one status callback from the SMS provider.
type StatusUpdate struct {
	MessageID string // chat message id, from the callback URL
	Sid       string
	Status    string
	ErrorCode int
}

// StatusChat is what status tracking needs from the chat service.
type StatusChat interface {
	GetMessage(ctx context.Context, id string) (ChatMessage, error)
	UpdateMessage(ctx context.Context, id string, set map[string]any) error
}

// Statuses is the one writer of sms_status: the relay's own marks, the
// reminder's, status callbacks and reconcile all write through it. Writes
// of one message are serialised by a short lock in the Ledger, and the rank
// of the last status written is kept there, so a status never moves
// backwards, whatever order callbacks arrive in and on whichever replica.
type Statuses struct {
	Chat   StatusChat
	Ledger Ledger // nil: no lock, and the message is read before each write
	// Queue keeps callbacks the chat cannot take in time, applied by Drain
	// (status_queue.go); nil: such a callback answers unavailable, and only
	// Twilio's redelivery (or reconcile) brings it back.
	Queue StatusQueue
}

// Update records u on its message when it moves the status forward. An
// unknown message is ignored: it may have been deleted, or the callback was
// meant for another system.
func (s *Statuses) Update(ctx context.Context, u StatusUpdate) (Outcome, error) {
	outcome, err := s.update(ctx, u)
	if err != nil && s.hold(ctx, u, time.Now(), err) {
		return OutcomeQueued, nil
	}
	return outcome, err
}

func (s *Statuses) update(ctx context.Context, u StatusUpdate) (Outcome, error) {
	if u.MessageID == "" || u.Status == "" {
		return OutcomeIgnored, nil
	}
	// Status writes come last when the chat's quota runs low: the provider
	// redelivers a callback that could not be written (StatusCallbackURL).
	ctx = priority.With(ctx, priority.Status)
	// The mark is written again with the status, so a reply whose mark was
	// lost after its SMS went out gets it from its first callback.
	set := map[string]any{FieldDirection: DirectionOutbound, FieldStatus: u.Status}
	if u.Sid != "" {
		set[FieldSID] = u.Sid
	}
	if u.Status == StatusFailed || u.Status == StatusUndelivered {
		set[FieldErrorCode], set[FieldError] = StatusErrorCode(u.ErrorCode)
	} else {
		// A reason left by an attempt whose answer was lost ("not sent
		// yet", "unconfirmed") is no longer true once Twilio reports on it.
		set[FieldErrorCode], set[FieldError] = nil, nil
	}
	written, err := s.write(ctx, u.MessageID, u.Status, set, false)
	switch {
	case errors.Is(err, ErrNotFound):
		return OutcomeIgnored, nil
	case err != nil:
		return "", fmt.Errorf("write status of %s: %w", u.Sid, err)
	case !written:
		return OutcomeIgnored, nil
	}
	return OutcomeUpdated, nil
}

// Write writes fields, which set sms_status to status, onto message id when
// status advances it. When it does not, the fields other than the status
// and its reason are still written (a mark's sms_sid lands even after a
// callback wrote "delivered"). It reports whether the status was written.
func (s *Statuses) Write(ctx context.Context, id, status string, fields map[string]any) (bool, error) {
	return s.write(ctx, id, status, fields, true)
}

func (s *Statuses) write(ctx context.Context, id, status string, fields map[string]any, keepRest bool) (bool, error) {
	if s.Ledger != nil {
		unlock, err := lock(ctx, s.Ledger, statusLockKey(id), deadlines.StatusLock)
		if err != nil {
			return false, fmt.Errorf("wait for the status of %s: %w", id, unavailable(err))
		}
		defer unlock()
	}
	current, err := s.current(ctx, id)
	if err != nil {
		return false, err
	}
	if statusRank[status] <= current {
		rest := withoutStatus(fields)
		if !keepRest || len(rest) == 0 {
			return false, nil
		}
		return false, s.Chat.UpdateMessage(ctx, id, rest)
	}
	if err := s.Chat.UpdateMessage(ctx, id, fields); err != nil {
		return false, err
	}
	s.remember(ctx, id, statusRank[status])
	return true, nil
}

// Remember records status as message id's last written one, without writing
// it: for a message posted with its status already set.
func (s *Statuses) Remember(ctx context.Context, id, status string) {
	s.remember(ctx, id, statusRank[status])
}

// Know records that message id exists with no status written yet, unless
// the ledger knows better, so the first writer need not read the message.
// It reports whether the ledger had no record of the message before: no
// replica sharing it has written a status on it in StatusMemory.
func (s *Statuses) Know(ctx context.Context, id string) (unknown bool) {
	if s.Ledger == nil {
		return false
	}
	if _, ok, err := s.Ledger.Rank(ctx, statusKey(id)); err == nil && !ok {
		s.remember(ctx, id, 0)
		return true
	}
	return false
}

// Sent reports whether the ledger knows message id went out (its last
// status is one the provider reported).
func (s *Statuses) Sent(ctx context.Context, id string) bool {
	if s.Ledger == nil {
		return false
	}
	n, ok, err := s.Ledger.Rank(ctx, statusKey(id))
	return err == nil && ok && n >= statusRank["accepted"]
}

func (s *Statuses) remember(ctx context.Context, id string, rank int) {
	if s.Ledger != nil {
		_ = s.Ledger.SetRank(context.WithoutCancel(ctx), statusKey(id), rank, deadlines.StatusMemory)
	}
}

// current is the rank of message id's status: the ledger's, or the
// message's own when the ledger does not know it (another replica without a
// shared store, a restart, a callback later than StatusMemory).
func (s *Statuses) current(ctx context.Context, id string) (int, error) {
	if s.Ledger != nil {
		if n, ok, err := s.Ledger.Rank(ctx, statusKey(id)); err == nil && ok {
			return n, nil
		}
	}
	msg, err := s.Chat.GetMessage(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("read message %s for its status: %w", id, err)
	}
	status, _ := msg.Fields[FieldStatus].(string)
	return statusRank[status], nil
}

// withoutStatus is fields less the status and its reason.
func withoutStatus(fields map[string]any) map[string]any {
	rest := make(map[string]any, len(fields))
	for k, v := range fields {
		if k != FieldStatus && k != FieldErrorCode && k != FieldError {
			rest[k] = v
		}
	}
	if len(rest) == 1 && rest[FieldDirection] != nil {
		return nil // the direction alone is already there
	}
	return rest
}

// unavailable makes a context error of a wait a transient failure.
func unavailable(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}
