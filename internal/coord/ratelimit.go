package coord

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Rate is an allowance of events per key: PerMinute on average, and up to
// Burst at once after a quiet spell.
type Rate struct {
	PerMinute int
	Burst     int
}

// interval is what one event costs of the allowance.
func (r Rate) interval() time.Duration { return time.Minute / time.Duration(max(r.PerMinute, 1)) }

// take is the generic cell rate algorithm (a token bucket kept as one
// time): key holds the theoretical arrival time tat of the next event. An
// event is let in when tat is at most Burst intervals ahead of now, and
// moves tat one interval on; otherwise it is refused with how long until
// one is let in. One key per limited party, whatever it sends, so a flood
// writes nothing new.
func take(now, tat time.Time, r Rate) (ok bool, wait time.Duration, next time.Time) {
	if tat.Before(now) {
		tat = now
	}
	next = tat.Add(r.interval())
	allowAt := next.Add(-time.Duration(max(r.Burst, 1)) * r.interval())
	if now.Before(allowAt) {
		return false, allowAt.Sub(now), tat
	}
	return true, 0, next
}

// Take spends one event of key's allowance at rate r. When none is left it
// reports false and how long until the next event is let in.
func (m *Memory) Take(_ context.Context, key string, r Rate) (bool, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	t, e := m.lookup(key)
	tat := now
	if e != nil {
		if ns, err := strconv.ParseInt(string(e.value), 10, 64); err == nil {
			tat = time.Unix(0, ns)
		}
	}
	ok, wait, next := take(now, tat, r)
	if ok {
		m.store(t, key, []byte(strconv.FormatInt(next.UnixNano(), 10)), next.Sub(now))
	}
	return ok, wait, nil
}

// rateScript is take in Redis, on Redis's clock, so that replicas whose
// clocks differ share one allowance. Times are in microseconds (below 2^53,
// exact in Lua's numbers). The key expires when its allowance is full again.
var rateScript = redis.NewScript(`
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now) or now
if tat < now then tat = now end
local nxt = tat + interval
local allow = nxt - burst * interval
if now < allow then return {0, allow - now} end
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.max(1, math.ceil((nxt - now) / 1000)))
return {1, 0}`)

// Take spends one event of key's allowance at rate r, shared by every
// replica using this Redis.
func (r *Redis) Take(ctx context.Context, key string, rate Rate) (bool, time.Duration, error) {
	v, err := rateScript.Run(ctx, r.c, []string{keyPrefix + key},
		rate.interval().Microseconds(), max(rate.Burst, 1)).Int64Slice()
	if err != nil || len(v) != 2 {
		return false, 0, wrap("take", err)
	}
	return v[0] == 1, time.Duration(v[1]) * time.Microsecond, nil
}

// Take spends one event of key's allowance on Primary, or while Primary
// is down on this replica's memory (an allowance per replica meanwhile,
// dropped when Primary is used again: Redis's stands).
func (f *Failover) Take(ctx context.Context, key string, r Rate) (bool, time.Duration, error) {
	p, err := do(f, ctx, key, kindRate, func(s Store, ctx context.Context) (pair[bool, time.Duration], error) {
		ok, wait, err := s.Take(ctx, key, r)
		return pair[bool, time.Duration]{ok, wait}, err
	})
	return p.a, p.b, err
}
