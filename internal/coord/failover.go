package coord

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// ErrUnavailable is a read Failover cannot answer exactly: Redis is down,
// this replica's memory does not hold the key, and Redis could not be read
// to say whether it does. The caller answers 503 rather than guess.
var ErrUnavailable = errors.New("coordination store unavailable")

// Failover is a Store that uses Primary (Redis) and, while Primary is down,
// Backup (this replica's memory).
//
// Any failed call to Primary (a refused write: OOM, READONLY; a timeout; a
// lost connection) makes Primary down for deadlines.StoreDown after it:
// every call of every operation goes to Backup meanwhile, reads and writes
// alike, so no operation reads a Redis that missed its writes. Primary is
// used again only after a test write and a write-back of every key Backup
// took while it was down (writeback.go) have succeeded. Get of a key Backup
// does not hold reads Primary, which may still answer reads (a full or
// read-only Redis does); when it cannot, Get returns ErrUnavailable.
//
// While down the guarantees are one replica's: claims, status order and
// login counts are this replica's own.
type Failover struct {
	Primary Store
	Backup  *Memory
	// OnChange is told when Primary goes down (up false, with the error;
	// at most once a minute) or is used again; it may be nil.
	OnChange func(up bool, err error)
	// OnWriteError is told of every write Primary failed; warn is true at
	// most once a minute. It may be nil.
	OnWriteError func(err error, warn bool)
	// Now reads the clock; nil is time.Now.
	Now func() time.Time

	// gate is held shared by every call at work on Backup, and exclusively
	// by the last step of a recovery, so no write to Backup is missed by
	// the write-back.
	gate       sync.RWMutex
	mu         sync.Mutex
	downUntil  time.Time // zero while Primary is used
	recovering bool
	failures   int             // failed calls to Primary, ever
	journal    map[string]kind // keys Backup took while Primary was down
	added      int             // new keys journaled since the last pruning
	warnedAt   time.Time       // of the last "down" notice
	writeAt    time.Time       // of the last write error warning
}

var _ Store = (*Failover)(nil)

// kind is what a call does to its key, and how a write-back merges it.
type kind uint8

const (
	kindRead kind = iota
	kindClaim
	kindRelease
	kindRank
	kindCount
	kindPut
	kindRate // a rate allowance (Take)
)

// Up reports whether Primary is in use.
func (f *Failover) Up() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.downUntil.IsZero()
}

func (f *Failover) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// route reports whether a call goes to Primary; the first call after the
// down period starts the recovery.
func (f *Failover) route() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.downUntil.IsZero() {
		return true
	}
	if !f.recovering && !f.clock().Before(f.downUntil) {
		f.recovering = true
		go f.recover()
	}
	return false
}

// onBackup runs op on Backup unless Primary came back meanwhile (false),
// journaling the key a write wrote.
func (f *Failover) onBackup(key string, k kind, op func()) bool {
	f.gate.RLock()
	defer f.gate.RUnlock()
	if f.Up() {
		return false
	}
	op()
	if k == kindRead || k == kindRelease {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.note(key, k)
	return true
}

// failed records a failed call to Primary: Primary is down for StoreDown
// from now.
func (f *Failover) failed(err error, write bool) {
	f.mu.Lock()
	now := f.clock()
	var notices []func()
	if write && f.OnWriteError != nil {
		warn := now.Sub(f.writeAt) >= deadlines.StoreWarnEvery
		if warn {
			f.writeAt = now
		}
		notices = append(notices, func() { f.OnWriteError(err, warn) })
	}
	if f.downUntil.IsZero() && now.Sub(f.warnedAt) >= deadlines.StoreWarnEvery {
		f.warnedAt = now
		if f.OnChange != nil {
			notices = append(notices, func() { f.OnChange(false, err) })
		}
	}
	f.failures++
	if until := now.Add(deadlines.StoreDown); until.After(f.downUntil) {
		f.downUntil = until
	}
	f.mu.Unlock()
	for _, n := range notices {
		n()
	}
}

// do runs op on Primary within deadlines.StoreCall, or on Backup.
func do[T any](f *Failover, ctx context.Context, key string, k kind, op func(Store, context.Context) (T, error)) (T, error) {
	for {
		if f.route() {
			pctx, cancel := context.WithTimeout(ctx, deadlines.StoreCall)
			v, err := op(f.Primary, pctx)
			cancel()
			if err == nil {
				return v, nil
			}
			if ctx.Err() != nil {
				return v, ctx.Err() // the caller gave up: not Redis's fault
			}
			f.failed(err, k != kindRead)
		}
		var v T
		var err error
		if f.onBackup(key, k, func() { v, err = op(f.Backup, ctx) }) {
			return v, err
		}
	}
}

type pair[A, B any] struct {
	a A
	b B
}

func (f *Failover) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return do(f, ctx, key, kindClaim, func(s Store, ctx context.Context) (bool, error) { return s.Claim(ctx, key, ttl) })
}

func (f *Failover) Release(ctx context.Context, key string) error {
	_, err := do(f, ctx, key, kindRelease, func(s Store, ctx context.Context) (struct{}, error) {
		return struct{}{}, s.Release(ctx, key)
	})
	return err
}

func (f *Failover) Rank(ctx context.Context, key string) (int, bool, error) {
	p, err := do(f, ctx, key, kindRead, func(s Store, ctx context.Context) (pair[int, bool], error) {
		n, ok, err := s.Rank(ctx, key)
		return pair[int, bool]{n, ok}, err
	})
	return p.a, p.b, err
}

func (f *Failover) SetRank(ctx context.Context, key string, n int, ttl time.Duration) error {
	_, err := do(f, ctx, key, kindRank, func(s Store, ctx context.Context) (struct{}, error) {
		return struct{}{}, s.SetRank(ctx, key, n, ttl)
	})
	return err
}

func (f *Failover) Count(ctx context.Context, key string) (int, time.Duration, error) {
	p, err := do(f, ctx, key, kindRead, func(s Store, ctx context.Context) (pair[int, time.Duration], error) {
		n, d, err := s.Count(ctx, key)
		return pair[int, time.Duration]{n, d}, err
	})
	return p.a, p.b, err
}

func (f *Failover) Add(ctx context.Context, key string, delta int, window time.Duration) (int, error) {
	return do(f, ctx, key, kindCount, func(s Store, ctx context.Context) (int, error) { return s.Add(ctx, key, delta, window) })
}

// Get reads Backup while Primary is down, and Primary for a key Backup
// does not hold: an answer kept before the outage, or by another replica.
// When Primary cannot say, the answer is ErrUnavailable, never a miss.
func (f *Failover) Get(ctx context.Context, key string) ([]byte, bool, error) {
	tried := false
	var v []byte
	var ok bool
	for {
		if f.route() {
			v, ok, err := f.getPrimary(ctx, key)
			if err == nil || ctx.Err() != nil {
				return v, ok, err
			}
			tried = true
		}
		if f.onBackup(key, kindRead, func() { v, ok, _ = f.Backup.Get(ctx, key) }) {
			break
		}
	}
	if ok {
		return v, true, nil
	}
	if tried {
		return nil, false, ErrUnavailable
	}
	v, ok, err := f.getPrimary(ctx, key)
	if err != nil && ctx.Err() == nil {
		return nil, false, ErrUnavailable
	}
	return v, ok, err
}

// getPrimary reads key from Primary within deadlines.StoreCall, recording
// a failure that is Redis's.
func (f *Failover) getPrimary(ctx context.Context, key string) ([]byte, bool, error) {
	pctx, cancel := context.WithTimeout(ctx, deadlines.StoreCall)
	v, ok, err := f.Primary.Get(pctx, key)
	cancel()
	if err != nil && ctx.Err() == nil {
		f.failed(err, false)
	}
	return v, ok, err
}

func (f *Failover) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := do(f, ctx, key, kindPut, func(s Store, ctx context.Context) (struct{}, error) {
		return struct{}{}, s.Put(ctx, key, value, ttl)
	})
	return err
}
