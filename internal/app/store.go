package app

import (
	"context"
	"errors"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/streamhook"
)

// newStore builds the coordination store: this process's memory, or with
// REDIS_URL Redis with memory to fall back on for deadlines.StoreDown after
// any failed call (one warning a minute, one a minute for refused writes,
// the smsbridge_coordination_store_up gauge and the write error counter).
// m may be nil.
func newStore(cfg config.Config, log zerolog.Logger, m *metrics.Metrics) (coord.Store, error) {
	if cfg.RedisURL == "" {
		return coord.NewMemory(), nil
	}
	r, err := coord.NewRedis(string(cfg.RedisURL))
	if err != nil {
		return nil, err
	}
	m.StoreUp(true)
	return &coord.Failover{Primary: r, Backup: coord.NewMemory(), OnChange: func(up bool, err error) {
		m.StoreUp(up)
		if up {
			log.Info().Msg("coordination store reachable again: memory's keys written back, guarantees across replicas restored")
			return
		}
		log.Warn().Err(err).Msg("coordination store (Redis) unreachable: working from this replica's memory; " +
			"claims, status order, login limits and idempotency keys hold for this replica only")
	}, OnWriteError: func(err error, warn bool) {
		m.StoreWriteError()
		if warn {
			log.Warn().Err(err).Msg("coordination store (Redis) failed a write: working from this replica's memory " +
				"until Redis takes writes again (full with noeviction, read-only, or not answering)")
		}
	}}, nil
}

// channelVersions is where the channel cache reads and bumps channel
// versions (streamhook.CacheChannels): Redis itself under REDIS_URL, not
// the failover, so that while Redis cannot be reached every read goes to
// Stream instead of trusting versions only this replica has seen.
func channelVersions(store coord.Store) streamhook.ChannelVersions {
	if f, ok := store.(*coord.Failover); ok {
		return f.Primary
	}
	return store
}

// batchStore is the store as a batch uses it: a row whose earlier result
// the store cannot look up (coord.ErrUnavailable) fails with a reason that
// names the store, not Stream or Twilio, and is sent by a later run.
type batchStore struct{ coord.Store }

// errRowStoreUnavailable is a row's reason while its key cannot be looked up.
var errRowStoreUnavailable = &bridge.Error{Kind: bridge.ErrUnavailable, Code: "store_unavailable",
	Message: "The coordination store (Redis) cannot say whether this row was sent before; nothing was sent. Run the file again later."}

func (s batchStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, ok, err := s.Store.Get(ctx, key)
	if errors.Is(err, coord.ErrUnavailable) {
		return nil, false, errRowStoreUnavailable
	}
	return v, ok, err
}
