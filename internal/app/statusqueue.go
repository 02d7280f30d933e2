package app

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/wait"
)

// maxHeldStatuses bounds the statuses one replica holds in memory.
const maxHeldStatuses = 10_000

// Draining: every drainEvery a replica applies the due statuses, each
// call allowed drainCall, long enough to wait out most of a Stream window.
const (
	drainEvery = time.Second
	drainCall  = 10 * time.Second
)

// statusQueue is where status callbacks wait for Stream's window: Redis
// under REDIS_URL (any replica applies them, also after this one died),
// with this replica's bounded memory when Redis refuses one; memory alone
// otherwise.
func statusQueue(store coord.Store) bridge.StatusQueue {
	mem := &coord.MemoryQueue{Max: maxHeldStatuses}
	if f, ok := store.(*coord.Failover); ok {
		if r, ok := f.Primary.(*coord.Redis); ok {
			return &coord.FailoverQueue{Primary: r.Queue("statuses"), Backup: mem}
		}
	}
	return mem
}

// drainStatuses applies held statuses until ctx ends.
func (a *App) drainStatuses(ctx context.Context) {
	for wait.For(ctx, drainEvery) {
		applied, dropped, err := a.statuses.Drain(ctx, drainCall)
		if applied > 0 || dropped > 0 {
			a.log.Info().Int("applied", applied).Int("dropped", dropped).Msg("held status callbacks")
		}
		if err != nil {
			a.log.Debug().Err(err).Msg("held status callbacks not read")
		}
	}
}
