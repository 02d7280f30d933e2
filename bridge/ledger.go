package bridge

import (
	"context"
	"time"
)

// Ledger is the coordination store as the relays use it: claims and ranks
// keyed by chat message id, shared by every replica when it is Redis
// (coord.Store implements it). Nil means no coordination, for a single
// caller such as a test.
type Ledger interface {
	// Claim takes key for ttl when nobody holds it, and reports whether it did.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Release gives key back.
	Release(ctx context.Context, key string) error
	// Rank returns the number stored at key; ok is false when there is none.
	Rank(ctx context.Context, key string) (n int, ok bool, err error)
	// SetRank stores n at key for ttl.
	SetRank(ctx context.Context, key string, n int, ttl time.Duration) error
}

// Ledger keys, by message id: the send claim, the status lock and the rank
// of the last status written.
func sendKey(id string) string       { return "send:" + id }
func statusLockKey(id string) string { return "status-lock:" + id }
func statusKey(id string) string     { return "status:" + id }

// lockPoll is how often a writer waiting for a message's status lock looks
// again.
const lockPoll = 10 * time.Millisecond

// lock takes key in l, waiting for it until ctx ends; unlock gives it back.
func lock(ctx context.Context, l Ledger, key string, ttl time.Duration) (unlock func(), err error) {
	for {
		ok, err := l.Claim(ctx, key, ttl)
		if err != nil {
			return nil, err
		}
		if ok {
			// Detached: a caller that gave up must still give the lock back.
			return func() { _ = l.Release(context.WithoutCancel(ctx), key) }, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}
