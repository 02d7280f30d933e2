package app

import (
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/streamhook"
)

// newStore builds the coordination store: this process's memory, or with
// REDIS_URL Redis with memory to fall back on while Redis is unreachable
// (one warning a minute, and the smsbridge_coordination_store_up gauge).
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
			log.Info().Msg("coordination store reachable again: guarantees across replicas restored")
			return
		}
		log.Warn().Err(err).Msg("coordination store (Redis) unreachable: working from this replica's memory; " +
			"claims, status order, login limits and idempotency keys hold for this replica only")
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
