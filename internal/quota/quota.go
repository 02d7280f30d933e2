package quota

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"
)

// Window is one endpoint's rate limit as Stream last reported it.
type Window struct {
	Limit     int
	Remaining int
	Reset     time.Time // when the window turns and Remaining is Limit again
}

// reserve is how many of an endpoint's calls p leaves to higher
// priorities: none for inbound SMS, 5% (at least 1) for replies and
// reminders, 20% (at least 2) for status writes.
func reserve(p priority.Priority, limit int) int {
	switch p {
	case priority.Inbound:
		return 0
	case priority.Send:
		return max(1, limit/20)
	}
	return max(2, limit/5)
}

// decide is the one rule: the wait before p may call an endpoint in
// window w at now, 0 meaning now. An unknown or turned window is open.
func decide(w Window, known bool, p priority.Priority, now time.Time) time.Duration {
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
	Take(ctx context.Context, endpoint string, p priority.Priority, now time.Time) time.Duration
	// Windows returns the view of every endpoint seen, for metrics.
	Windows(ctx context.Context) map[string]Window
}
