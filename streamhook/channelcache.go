package streamhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// ChannelVersions is where replicas count changes to a channel's fields, so
// a copy of the channel cached on one replica is not used after another
// replica changed it (a STOP). internal/coord's stores satisfy it: Redis
// across replicas, memory for one. Its errors must reach the caller: a
// version that cannot be read means the cache is not used.
type ChannelVersions interface {
	// Count returns the counter at key (0 when there is none).
	Count(ctx context.Context, key string) (int, time.Duration, error)
	// Add adds delta to the counter at key, creating it to expire after
	// window, and returns the new value.
	Add(ctx context.Context, key string, delta int, window time.Duration) (int, error)
}

// Cache bounds: a cached channel is used for at most channelTTL, and its
// version counter outlives any copy read before it was bumped
// (versionWindow > channelTTL), so an expired counter cannot make a stale
// copy current again.
const (
	channelTTL       = 30 * time.Second
	versionWindow    = 2 * time.Minute
	maxCachedChannel = 50_000
)

// CacheChannels makes c keep the channels ReadChannel reads (the opt-out
// flag and the patient's number) for up to 30 s. Every use first reads the
// channel's version from v, one coordination-store call instead of a
// Stream call: UpdateChannel on any replica sharing v bumps it, so a STOP
// written there reaches this replica before its next send. When v cannot be
// read, Stream is asked, as without a cache. Channel ids are phone numbers,
// so v's keys are their HMAC under secret (the Stream secret every replica
// shares). It returns c.
func (c *Chat) CacheChannels(v ChannelVersions, secret string) *Chat {
	c.channels = &channelCache{versions: v, secret: []byte(secret), now: time.Now, entries: map[string]cachedChannel{}}
	return c
}

type channelCache struct {
	versions ChannelVersions
	secret   []byte
	now      func() time.Time
	mu       sync.Mutex
	entries  map[string]cachedChannel
}

type cachedChannel struct {
	state   bridge.ChannelState
	version int
	readAt  time.Time
}

// versionKey is the store key of a channel's version: never the id itself.
func (cc *channelCache) versionKey(channelID string) string {
	mac := hmac.New(sha256.New, cc.secret)
	mac.Write([]byte(channelID))
	return "chanv:" + hex.EncodeToString(mac.Sum(nil)[:16])
}

// read returns the channel from the cache when its version is current and
// it is young enough, otherwise from fetch, caching what fetch found.
func (cc *channelCache) read(ctx context.Context, channelID string,
	fetch func(context.Context, string) (bridge.ChannelState, error)) (bridge.ChannelState, error) {
	version, _, verr := cc.versions.Count(ctx, cc.versionKey(channelID))
	if verr == nil {
		if st, ok := cc.get(channelID, version); ok {
			return st, nil
		}
	}
	st, err := fetch(ctx, channelID)
	if err == nil && verr == nil {
		cc.put(channelID, cachedChannel{state: st, version: version, readAt: cc.now()})
	}
	return st, err
}

func (cc *channelCache) get(channelID string, version int) (bridge.ChannelState, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.entries[channelID]
	if !ok || e.version != version || cc.now().Sub(e.readAt) >= channelTTL {
		return bridge.ChannelState{}, false
	}
	return e.state, true
}

func (cc *channelCache) put(channelID string, e cachedChannel) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.entries) >= maxCachedChannel {
		now := cc.now()
		for id, old := range cc.entries {
			if now.Sub(old.readAt) >= channelTTL {
				delete(cc.entries, id)
			}
		}
		if len(cc.entries) >= maxCachedChannel {
			clear(cc.entries) // all young: start again rather than grow
		}
	}
	cc.entries[channelID] = e
}

// changed forgets this replica's copy and bumps the version every replica
// checks. The bump is tried once more on failure, without the caller's
// deadline; if both fail, other replicas' copies last at most channelTTL.
func (cc *channelCache) changed(ctx context.Context, channelID string) {
	cc.mu.Lock()
	delete(cc.entries, channelID)
	cc.mu.Unlock()
	if _, err := cc.versions.Add(ctx, cc.versionKey(channelID), 1, versionWindow); err != nil {
		retry, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_, _ = cc.versions.Add(retry, cc.versionKey(channelID), 1, versionWindow)
	}
}
