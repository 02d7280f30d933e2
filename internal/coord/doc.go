// Package coord is smsbridge's coordination store: the short-lived data
// replicas share so that a webhook delivered twice, or to two replicas at
// once, is acted on once. It holds claims, the rank of the last status
// written per message, counters of failed logins, idempotent answers and
// per-admin rate allowances, each with a TTL. Keys are chat message ids, hashes and other opaque ids:
// never a message text or a phone number.
//
// Memory is exact for one replica; Redis is exact for any number (REDIS_URL);
// Failover uses Redis and, for a fixed period after any failed call, memory
// (writing memory's keys back before it uses Redis again).
// All three pass the same contract test (store_test.go).
//
// Packages declare the small interfaces they need (bridge.Ledger,
// adminapi.Counters, adminapi.Answers) and Store satisfies them all. coord
// imports no smsbridge package but deadlines.
package coord

import (
	"context"
	"time"
)

// Store is every operation the implementations share.
type Store interface {
	// Claim takes key for ttl when nobody holds it, and reports whether it did.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Release deletes key, whatever it holds.
	Release(ctx context.Context, key string) error
	// Rank returns the number at key; ok is false when there is none.
	Rank(ctx context.Context, key string) (n int, ok bool, err error)
	// SetRank stores n at key for ttl.
	SetRank(ctx context.Context, key string, n int, ttl time.Duration) error
	// Count returns the counter at key and how long until it expires (0, 0
	// when there is none).
	Count(ctx context.Context, key string) (n int, resetIn time.Duration, err error)
	// Add adds delta to the counter at key, creating it to expire after
	// window when it does not exist, and returns the new value. The window
	// starts with the first event and is not extended by later ones.
	Add(ctx context.Context, key string, delta int, window time.Duration) (int, error)
	// Get returns the bytes at key.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Put stores value at key for ttl.
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Take spends one event of key's allowance at rate r; when none is
	// left it reports false and how long until one is (ratelimit.go).
	Take(ctx context.Context, key string, r Rate) (ok bool, wait time.Duration, err error)
}
