package quota

import (
	"context"
	"time"
)

// Priority orders who spends an endpoint's last calls.
type Priority int

// The priorities, most important first.
const (
	// Inbound is a patient's SMS: it may spend the very last call, and
	// waits for the window to turn when that fits its deadline.
	Inbound Priority = iota
	// Send is an admin reply or a reminder: it leaves a small reserve for
	// inbound SMS.
	Send
	// Status is a delivery status write: it leaves a larger reserve, and
	// Twilio redelivers a callback that could not be written.
	Status
)

// String names p for metrics labels.
func (p Priority) String() string {
	switch p {
	case Inbound:
		return "inbound"
	case Status:
		return "status"
	}
	return "send"
}

type priorityKey struct{}

// WithPriority marks the Stream calls made under ctx as p's.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

// PriorityOf is the priority ctx carries; Send when it carries none.
func PriorityOf(ctx context.Context) Priority {
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok {
		return p
	}
	return Send
}

// Window is one endpoint's rate limit as Stream last reported it.
type Window struct {
	Limit     int
	Remaining int
	Reset     time.Time // when the window turns and Remaining is Limit again
}

// reserve is how many of an endpoint's calls p leaves to higher
// priorities: none for inbound SMS, 5% (at least 1) for replies and
// reminders, 20% (at least 2) for status writes.
func reserve(p Priority, limit int) int {
	switch p {
	case Inbound:
		return 0
	case Send:
		return max(1, limit/20)
	}
	return max(2, limit/5)
}

// decide is the one rule: the wait before p may call an endpoint in
// window w at now, 0 meaning now. An unknown or turned window is open.
func decide(w Window, known bool, p Priority, now time.Time) time.Duration {
	if !known || !now.Before(w.Reset) || w.Remaining > reserve(p, w.Limit) {
		return 0
	}
	return w.Reset.Sub(now)
}

// View is where the windows are kept.
type View interface {
	// Observe records what Stream answered for endpoint.
	Observe(ctx context.Context, endpoint string, w Window)
	// Take asks to spend one call of endpoint at priority p. It returns 0
	// and counts the call as spent, or how long to wait before asking
	// again.
	Take(ctx context.Context, endpoint string, p Priority, now time.Time) time.Duration
	// Windows returns the view of every endpoint seen, for metrics.
	Windows(ctx context.Context) map[string]Window
}
