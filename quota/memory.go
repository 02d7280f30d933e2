package quota

import (
	"context"
	"sync"
	"time"
)

// Memory is the view of one replica.
type Memory struct {
	mu sync.Mutex
	w  map[string]Window
}

var _ View = (*Memory)(nil)

// NewMemory returns an empty view: every endpoint open until Stream says
// otherwise.
func NewMemory() *Memory { return &Memory{w: map[string]Window{}} }

// Observe keeps the newest answer: a later window replaces an earlier one,
// and within one window the lowest remaining count wins, since answers to
// concurrent calls arrive in any order.
func (m *Memory) Observe(_ context.Context, endpoint string, w Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.w[endpoint] = merge(m.w[endpoint], w)
}

func merge(old, w Window) Window {
	switch {
	case w.Reset.After(old.Reset):
		return w
	case w.Reset.Equal(old.Reset) && w.Remaining < old.Remaining:
		old.Remaining = w.Remaining
		old.Limit = w.Limit
	}
	return old
}

// Take spends one call of the endpoint when p may: the count goes down
// before Stream answers, so concurrent callers cannot all spend the same
// last call.
func (m *Memory) Take(_ context.Context, endpoint string, p Priority, now time.Time) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	w, known := m.w[endpoint]
	if wait := decide(w, known, p, now); wait > 0 {
		return wait
	}
	if known && now.Before(w.Reset) {
		w.Remaining--
		m.w[endpoint] = w
	}
	return 0
}

// Windows returns a copy of the view.
func (m *Memory) Windows(context.Context) map[string]Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]Window, len(m.w))
	for k, v := range m.w {
		out[k] = v
	}
	return out
}
