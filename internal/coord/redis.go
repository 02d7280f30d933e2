package coord

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// keyPrefix keeps smsbridge's keys apart from anything else in the database.
const keyPrefix = "smsbridge:"

// Redis is a Store in Redis (or Valkey, or a managed service speaking the
// same protocol): exact for any number of replicas, and kept across
// restarts for as long as each key's TTL.
type Redis struct {
	c *redis.Client
}

var _ Store = (*Redis)(nil)

// NewRedis connects to url: redis://[:password@]host:port/db, or rediss://
// for TLS. It does not dial until the first call.
func NewRedis(url string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, errors.New("REDIS_URL is not a redis:// or rediss:// URL") // the URL may hold a password
	}
	// No retries of its own, so a Redis outage is noticed at once and
	// Failover takes over. Every wait is bounded by the caller's context
	// and at most deadlines.StoreCall: go-redis otherwise ignores context
	// deadlines and waits 5 s for a Redis that stopped answering (a
	// partition, a stall), longer than Stream waits for a webhook.
	opts.MaxRetries = -1
	opts.ContextTimeoutEnabled = true
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = deadlines.StoreCall, deadlines.StoreCall, deadlines.StoreCall
	opts.PoolTimeout = deadlines.StoreCall
	silenceOnce.Do(func() { redis.SetLogger(silent{}) })
	return &Redis{c: redis.NewClient(opts)}, nil
}

// silent drops go-redis's own log lines: they are unstructured, go to
// stderr once per failed dial while Redis is down, and repeat what
// Failover.OnChange reports once a minute in the service's log format.
type silent struct{}

func (silent) Printf(context.Context, string, ...any) {}

var silenceOnce sync.Once

// Close closes the connection pool.
func (r *Redis) Close() error { return r.c.Close() }

// Ping checks the connection.
func (r *Redis) Ping(ctx context.Context) error { return r.c.Ping(ctx).Err() }

func (r *Redis) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ok, err := r.c.SetNX(ctx, keyPrefix+key, "1", ttl).Result()
	return ok, wrap("claim", err)
}

func (r *Redis) Release(ctx context.Context, key string) error {
	return wrap("release", r.c.Del(ctx, keyPrefix+key).Err())
}

func (r *Redis) Rank(ctx context.Context, key string) (int, bool, error) {
	v, err := r.c.Get(ctx, keyPrefix+key).Result()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, wrap("rank", err)
	}
	n, err := strconv.Atoi(v)
	return n, err == nil, nil
}

func (r *Redis) SetRank(ctx context.Context, key string, n int, ttl time.Duration) error {
	return wrap("set rank", r.c.Set(ctx, keyPrefix+key, n, ttl).Err())
}

func (r *Redis) Count(ctx context.Context, key string) (int, time.Duration, error) {
	pipe := r.c.Pipeline()
	get := pipe.Get(ctx, keyPrefix+key)
	ttl := pipe.PTTL(ctx, keyPrefix+key)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, wrap("count", err)
	}
	n, err := get.Int()
	if err != nil {
		return 0, 0, nil // no counter
	}
	return n, max(ttl.Val(), 0), nil
}

// addScript adds to a counter and gives a new one its window, in one step.
var addScript = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`)

func (r *Redis) Add(ctx context.Context, key string, delta int, window time.Duration) (int, error) {
	n, err := addScript.Run(ctx, r.c, []string{keyPrefix + key}, delta, window.Milliseconds()).Int()
	return n, wrap("add", err)
}

func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := r.c.Get(ctx, keyPrefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap("get", err)
	}
	return v, true, nil
}

func (r *Redis) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return wrap("put", r.c.Set(ctx, keyPrefix+key, value, ttl).Err())
}

// wrap names the operation; go-redis errors name the address, never a value.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("redis %s: %w", op, err)
}
