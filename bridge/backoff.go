package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/smsbridge/smsbridge/internal/wait"
)

// Backoff bounds the retries of a batch job's calls that failed in a way a
// retry may fix (errors wrapping ErrUnavailable: the vendor's 429, 5xx,
// network errors, timeouts). Webhook handlers do not use it: their callers
// retry instead, within their own deadlines.
type Backoff struct {
	Attempts int           // tries in all; below 1 means 1
	Base     time.Duration // first wait when the vendor gives no hint; doubles each time
	Max      time.Duration // longest single wait, a vendor's hint included
}

// DefaultBackoff suits a job that runs unattended: five tries over about
// eight seconds, or longer when the vendor says when to come back.
var DefaultBackoff = Backoff{Attempts: 5, Base: 500 * time.Millisecond, Max: 30 * time.Second}

// RetryHint is implemented by adapter errors that know when the vendor will
// take the next call (Stream's X-RateLimit-Reset on a 429).
type RetryHint interface {
	RetryAfter() time.Duration
}

// Do calls fn until it succeeds, fails for good, the tries are used up or
// ctx ends, and returns fn's last error.
func (b Backoff) Do(ctx context.Context, fn func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || !errors.Is(err, ErrUnavailable) || attempt >= b.Attempts {
			return err
		}
		if !wait.For(ctx, b.wait(attempt, err)) {
			return err
		}
	}
}

// wait is how long to wait after the attempt-th failure: the vendor's hint
// when it gave one, else exponential, never more than Max.
func (b Backoff) wait(attempt int, err error) time.Duration {
	d := b.Base << min(attempt-1, 16) // bounded shift: no overflow however many tries
	var hint RetryHint
	if errors.As(err, &hint) && hint.RetryAfter() > 0 {
		d = hint.RetryAfter()
	}
	var be *Error
	if errors.As(err, &be) && be.RetryAfter > 0 {
		d = be.RetryAfter
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	return d
}
