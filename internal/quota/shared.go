package quota

import (
	"context"
	"strconv"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"
)

// Counters is what Shared needs from the coordination store (coord.Store):
// a counter that expires with its window.
type Counters interface {
	Add(ctx context.Context, key string, delta int, window time.Duration) (int, error)
}

// Shared is the view of replicas that share a coordination store
// (REDIS_URL). Stream counts each endpoint per app, and every answer's
// X-RateLimit-Remaining already says what all replicas spent; what one
// replica cannot see are the calls the others have in flight. So each
// replica keeps its own view of the windows (Local) and, while a window is
// known, every call is also counted in the store under the window's reset:
// a call goes only when both the replica's view and the count of all
// replicas leave room for its priority. A store that does not answer
// leaves the replica with its own view, as without REDIS_URL.
type Shared struct {
	Store Counters
	Local *Memory
}

var _ View = (*Shared)(nil)

// NewShared returns a view shared through store.
func NewShared(store Counters) *Shared { return &Shared{Store: store, Local: NewMemory()} }

// Observe records Stream's answer in the replica's view, and raises the
// window's shared count to what Stream says was spent, so calls made before
// any replica counted them (or by a replica without the store) count too.
// Two replicas raising it at once may overshoot, which only holds calls
// back.
func (s *Shared) Observe(ctx context.Context, endpoint string, w Window) {
	s.Local.Observe(ctx, endpoint, w)
	now := time.Now()
	if !now.Before(w.Reset) {
		return
	}
	key, ttl := countKey(endpoint, w), w.Reset.Sub(now)+time.Second
	n, err := s.Store.Add(ctx, key, 0, ttl)
	if spent := w.Limit - w.Remaining; err == nil && spent > n {
		_, _ = s.Store.Add(ctx, key, spent-n, ttl)
	}
}

// countKey names the shared count of endpoint's window w.
func countKey(endpoint string, w Window) string {
	return "quota:" + endpoint + ":" + strconv.FormatInt(w.Reset.Unix(), 10)
}

// Windows returns the replica's view.
func (s *Shared) Windows(ctx context.Context) map[string]Window { return s.Local.Windows(ctx) }

// Take spends one call when the replica's view allows it, then counts it
// in the store; when all replicas together have spent the window down to
// p's reserve, the call is given back and p waits for the reset.
func (s *Shared) Take(ctx context.Context, endpoint string, p priority.Priority, now time.Time) time.Duration {
	if wait := s.Local.Take(ctx, endpoint, p, now); wait > 0 {
		return wait
	}
	w, known := s.Local.window(endpoint)
	if !known || !now.Before(w.Reset) {
		return 0 // no window to count against
	}
	key, ttl := countKey(endpoint, w), w.Reset.Sub(now)+time.Second
	n, err := s.Store.Add(ctx, key, 1, ttl)
	if err != nil || w.Limit-(n-1) > reserve(p, w.Limit) {
		return 0
	}
	_, _ = s.Store.Add(ctx, key, -1, ttl)
	return w.Reset.Sub(now)
}
