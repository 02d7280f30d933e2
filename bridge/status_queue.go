package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"
)

// StatusQueue keeps the status callbacks the chat could not take in time
// (Stream's window closed past Twilio's redelivery), for any replica to
// apply once it opens. Items are opaque; Take leases them, so an item a
// replica took and could not finish (it died) is due again after the
// lease. internal/coord's queues satisfy it: Redis under REDIS_URL, this
// replica's memory (bounded) otherwise.
type StatusQueue interface {
	Hold(ctx context.Context, item []byte, due time.Time) error
	Take(ctx context.Context, now time.Time, lease time.Duration, max int) ([][]byte, error)
	Done(ctx context.Context, item []byte) error
}

// Queue timing: a held status is first tried after the chat's hint (or
// queueRetry), a taken one leased for queueLease, and one that keeps
// failing dropped after queueGiveUp, reported by Drain.
const (
	queueRetry  = 2 * time.Second
	queueLease  = 30 * time.Second
	queueGiveUp = 24 * time.Hour
	drainBatch  = 50
)

// queuedStatus is a held callback with the time it first came.
type queuedStatus struct {
	StatusUpdate
	Since time.Time `json:"since"`
}

// hold queues u after a write that failed with err; it reports whether it
// did (no queue, or the queue refused it: the caller answers as before).
func (s *Statuses) hold(ctx context.Context, u StatusUpdate, since time.Time, err error) bool {
	if s.Queue == nil || !errors.Is(err, ErrUnavailable) {
		return false
	}
	item, jerr := json.Marshal(queuedStatus{StatusUpdate: u, Since: since})
	if jerr != nil {
		return false
	}
	return s.Queue.Hold(context.WithoutCancel(ctx), item, time.Now().Add(retryIn(err))) == nil
}

func retryIn(err error) time.Duration {
	var hint RetryHint
	if errors.As(err, &hint) && hint.RetryAfter() > 0 {
		return hint.RetryAfter()
	}
	return queueRetry
}

// Drain applies the held statuses that are due, each through Update's
// rules (order never goes backwards), each call bounded by per. It returns
// how many it applied or found moot, and how many it dropped after
// queueGiveUp; a status the chat still refuses is held again.
func (s *Statuses) Drain(ctx context.Context, per time.Duration) (applied, dropped int, err error) {
	if s.Queue == nil {
		return 0, 0, nil
	}
	items, err := s.Queue.Take(ctx, time.Now(), queueLease, drainBatch)
	for _, item := range items {
		var q queuedStatus
		if json.Unmarshal(item, &q) != nil {
			_ = s.Queue.Done(ctx, item) // not ours to read: never retried
			dropped++
			continue
		}
		callCtx, cancel := context.WithTimeout(priority.With(ctx, priority.Status), per)
		_, werr := s.update(callCtx, q.StatusUpdate)
		cancel()
		switch {
		case werr == nil || !errors.Is(werr, ErrUnavailable):
			_ = s.Queue.Done(ctx, item)
			applied++
		case time.Since(q.Since) > queueGiveUp:
			_ = s.Queue.Done(ctx, item)
			dropped++
		default:
			_ = s.Queue.Hold(ctx, item, time.Now().Add(retryIn(werr)))
		}
	}
	return applied, dropped, err
}
