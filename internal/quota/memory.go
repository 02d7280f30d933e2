package quota

import (
	"context"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"
)

// Memory is the view of one replica.
type Memory struct {
	mu sync.Mutex
	w  map[string]entry
}

// entry is one endpoint's window, with what was learned of its length.
type entry struct {
	Window
	// period is the shortest step seen between two windows' resets: the
	// window's length (a minute on Stream), once two have been seen.
	period time.Duration
	// guessed: the window was started here when the last one turned, from
	// period and the limit; Stream's next answer replaces it.
	guessed bool
}

var _ View = (*Memory)(nil)

// NewMemory returns an empty view: every endpoint open until Stream says
// otherwise.
func NewMemory() *Memory { return &Memory{w: map[string]entry{}} }

// Observe keeps the newest answer: a later window replaces an earlier one,
// and within one window the lowest remaining count wins, since answers to
// concurrent calls arrive in any order. A window guessed here gives way to
// Stream's word.
func (m *Memory) Observe(_ context.Context, endpoint string, w Window) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, known := m.w[endpoint]
	if known && !e.guessed && w.Reset.After(e.Reset) {
		if d := w.Reset.Sub(e.Reset); e.period == 0 || d < e.period {
			e.period = d
		}
	}
	if e.guessed {
		e.Window, e.guessed = w, false
	} else {
		e.Window = merge(e.Window, w)
	}
	m.w[endpoint] = e
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
// last call. When the window has turned and its length is known, the next
// one starts here with the full limit, so callers that waited for the turn
// are let through up to the limit instead of all at once.
func (m *Memory) Take(_ context.Context, endpoint string, p priority.Priority, now time.Time) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, known := m.w[endpoint]
	if known && !now.Before(e.Reset) && e.period > 0 {
		turns := now.Sub(e.Reset)/e.period + 1
		e.Reset = e.Reset.Add(turns * e.period)
		e.Remaining, e.guessed = e.Limit, true
	}
	if wait := decide(e.Window, known, p, now); wait > 0 {
		m.w[endpoint] = e
		return wait
	}
	if known && now.Before(e.Reset) {
		e.Remaining--
	}
	if known {
		m.w[endpoint] = e
	}
	return 0
}

// window is endpoint's window as the view holds it.
func (m *Memory) window(endpoint string) (Window, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.w[endpoint]
	return e.Window, ok
}

// Windows returns a copy of the view.
func (m *Memory) Windows(context.Context) map[string]Window {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]Window, len(m.w))
	for k, v := range m.w {
		out[k] = v.Window
	}
	return out
}
