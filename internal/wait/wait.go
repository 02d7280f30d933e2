// Package wait pauses a goroutine for a while unless its context ends
// first: the one timer-and-select that backoffs and quota waits share.
// It imports nothing of smsbridge.
package wait

import (
	"context"
	"time"
)

// For waits d, or less when ctx ends first; it reports whether the whole
// of d went by.
func For(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
