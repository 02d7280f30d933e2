package coord

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Queue holds items (opaque bytes, each its own identity) until they are
// due, for any replica to take. Take leases what it returns: an item not
// marked Done within the lease is due again, so a replica that dies while
// applying one loses nothing. Holding an item again moves its due time.
type Queue interface {
	Hold(ctx context.Context, item []byte, due time.Time) error
	Take(ctx context.Context, now time.Time, lease time.Duration, max int) ([][]byte, error)
	Done(ctx context.Context, item []byte) error
}

// ErrQueueFull is a memory queue refusing an item past its bound.
var ErrQueueFull = errors.New("queue full")

// MemoryQueue is a Queue in this process's memory, bounded to Max items.
type MemoryQueue struct {
	Max   int
	mu    sync.Mutex
	items map[string]time.Time
}

func (q *MemoryQueue) Hold(_ context.Context, item []byte, due time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.items == nil {
		q.items = map[string]time.Time{}
	}
	if _, ok := q.items[string(item)]; !ok && len(q.items) >= q.Max {
		return ErrQueueFull
	}
	q.items[string(item)] = due
	return nil
}

func (q *MemoryQueue) Take(_ context.Context, now time.Time, lease time.Duration, max int) ([][]byte, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out [][]byte
	for item, due := range q.items {
		if len(out) >= max {
			break
		}
		if !due.After(now) {
			q.items[item] = now.Add(lease)
			out = append(out, []byte(item))
		}
	}
	return out, nil
}

func (q *MemoryQueue) Done(_ context.Context, item []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.items, string(item))
	return nil
}

// Len is how many items the queue holds.
func (q *MemoryQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// RedisQueue is a Queue in one Redis sorted set (score: due time in
// milliseconds), shared by every replica and kept across their restarts.
type RedisQueue struct {
	c   *redis.Client
	key string
}

// Queue returns the queue named name in r's database.
func (r *Redis) Queue(name string) *RedisQueue {
	return &RedisQueue{c: r.c, key: keyPrefix + "queue:" + name}
}

func (q *RedisQueue) Hold(ctx context.Context, item []byte, due time.Time) error {
	return wrap("queue hold", q.c.ZAdd(ctx, q.key, redis.Z{Score: float64(due.UnixMilli()), Member: item}).Err())
}

// takeScript leases up to ARGV[3] items due by ARGV[1] until ARGV[2], in one
// step, so two replicas never take the same item.
var takeScript = redis.NewScript(`
local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, item in ipairs(items) do redis.call('ZADD', KEYS[1], ARGV[2], item) end
return items`)

func (q *RedisQueue) Take(ctx context.Context, now time.Time, lease time.Duration, max int) ([][]byte, error) {
	res, err := takeScript.Run(ctx, q.c, []string{q.key}, now.UnixMilli(), now.Add(lease).UnixMilli(), max).StringSlice()
	if err != nil {
		return nil, wrap("queue take", err)
	}
	out := make([][]byte, len(res))
	for i, s := range res {
		out[i] = []byte(s)
	}
	return out, nil
}

func (q *RedisQueue) Done(ctx context.Context, item []byte) error {
	return wrap("queue done", q.c.ZRem(ctx, q.key, item).Err())
}

// FailoverQueue holds items in Primary (Redis) and, when Primary refuses
// one, in Backup (memory); it takes from both.
type FailoverQueue struct {
	Primary Queue
	Backup  *MemoryQueue
}

func (q *FailoverQueue) Hold(ctx context.Context, item []byte, due time.Time) error {
	if err := q.Primary.Hold(ctx, item, due); err != nil {
		if berr := q.Backup.Hold(ctx, item, due); berr != nil {
			return fmt.Errorf("%w; %w", err, berr)
		}
	}
	return nil
}

func (q *FailoverQueue) Take(ctx context.Context, now time.Time, lease time.Duration, max int) ([][]byte, error) {
	out, _ := q.Backup.Take(ctx, now, lease, max)
	if len(out) >= max {
		return out, nil
	}
	more, err := q.Primary.Take(ctx, now, lease, max-len(out))
	return append(out, more...), err
}

func (q *FailoverQueue) Done(ctx context.Context, item []byte) error {
	_ = q.Backup.Done(ctx, item)
	return q.Primary.Done(ctx, item)
}
