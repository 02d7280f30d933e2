package coord

import (
	"context"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Failover is a Store that uses Primary (Redis) and, while Primary fails,
// Backup (this replica's memory): no request fails because Redis is down.
// Meanwhile the guarantees are one replica's: claims, status order, login
// counts and idempotent answers are no longer shared, and what only Redis
// held is not seen. Primary counts as down after downAfter failures in a
// row; a single failed call is answered from Backup alone. While down,
// Primary is tried again every deadlines.StoreRetry.
type Failover struct {
	Primary Store
	Backup  Store
	// OnChange is told when Primary goes down (up false, with the error) or
	// comes back; it may be nil. It is called at most once a minute while
	// Primary stays down.
	OnChange func(up bool, err error)
	now      func() time.Time

	mu       sync.Mutex
	fails    int       // failures in a row
	downAt   time.Time // zero while Primary works
	warnedAt time.Time
}

var _ Store = (*Failover)(nil)

// downAfter is how many failed calls in a row make Primary down: one slow
// answer on a busy machine is not an outage, and while Primary counts as up
// the other replicas' claims and counts stay visible.
const downAfter = 3

// Up reports whether Primary counts as up (fewer than downAfter failed
// calls in a row).
func (f *Failover) Up() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.downAt.IsZero()
}

func (f *Failover) clock() time.Time {
	if f.now != nil {
		return f.now()
	}
	return time.Now()
}

// usePrimary reports whether to try Primary now.
func (f *Failover) usePrimary() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.downAt.IsZero() || f.clock().Sub(f.downAt) >= deadlines.StoreRetry
}

// result records how a call to Primary went, and reports whether it
// failed (so the call goes to Backup instead).
func (f *Failover) result(err error) bool {
	f.mu.Lock()
	now := f.clock()
	var notify func()
	switch {
	case err == nil:
		wasDown := !f.downAt.IsZero()
		f.fails, f.downAt, f.warnedAt = 0, time.Time{}, time.Time{}
		if wasDown {
			notify = func() { f.OnChange(true, nil) }
		}
	case f.fails+1 < downAfter:
		f.fails++
	default:
		f.fails, f.downAt = downAfter, now
		if now.Sub(f.warnedAt) >= deadlines.StoreWarnEvery {
			f.warnedAt = now
			notify = func() { f.OnChange(false, err) }
		}
	}
	f.mu.Unlock()
	if notify != nil && f.OnChange != nil {
		notify()
	}
	return err != nil
}

// do runs op on Primary within deadlines.StoreCall, or on Backup.
func do[T any](f *Failover, ctx context.Context, op func(Store, context.Context) (T, error)) (T, error) {
	if f.usePrimary() {
		pctx, cancel := context.WithTimeout(ctx, deadlines.StoreCall)
		v, err := op(f.Primary, pctx)
		cancel()
		if ctx.Err() != nil {
			return v, ctx.Err() // the caller gave up: not Redis's fault
		}
		if !f.result(err) {
			return v, nil
		}
	}
	return op(f.Backup, ctx)
}

type pair[A, B any] struct {
	a A
	b B
}

func (f *Failover) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return do(f, ctx, func(s Store, ctx context.Context) (bool, error) { return s.Claim(ctx, key, ttl) })
}

func (f *Failover) Release(ctx context.Context, key string) error {
	_, err := do(f, ctx, func(s Store, ctx context.Context) (struct{}, error) { return struct{}{}, s.Release(ctx, key) })
	return err
}

func (f *Failover) Rank(ctx context.Context, key string) (int, bool, error) {
	p, err := do(f, ctx, func(s Store, ctx context.Context) (pair[int, bool], error) {
		n, ok, err := s.Rank(ctx, key)
		return pair[int, bool]{n, ok}, err
	})
	return p.a, p.b, err
}

func (f *Failover) SetRank(ctx context.Context, key string, n int, ttl time.Duration) error {
	_, err := do(f, ctx, func(s Store, ctx context.Context) (struct{}, error) { return struct{}{}, s.SetRank(ctx, key, n, ttl) })
	return err
}

func (f *Failover) Count(ctx context.Context, key string) (int, time.Duration, error) {
	p, err := do(f, ctx, func(s Store, ctx context.Context) (pair[int, time.Duration], error) {
		n, d, err := s.Count(ctx, key)
		return pair[int, time.Duration]{n, d}, err
	})
	return p.a, p.b, err
}

func (f *Failover) Add(ctx context.Context, key string, delta int, window time.Duration) (int, error) {
	return do(f, ctx, func(s Store, ctx context.Context) (int, error) { return s.Add(ctx, key, delta, window) })
}

func (f *Failover) Get(ctx context.Context, key string) ([]byte, bool, error) {
	p, err := do(f, ctx, func(s Store, ctx context.Context) (pair[[]byte, bool], error) {
		v, ok, err := s.Get(ctx, key)
		return pair[[]byte, bool]{v, ok}, err
	})
	return p.a, p.b, err
}

func (f *Failover) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := do(f, ctx, func(s Store, ctx context.Context) (struct{}, error) { return struct{}{}, s.Put(ctx, key, value, ttl) })
	return err
}
