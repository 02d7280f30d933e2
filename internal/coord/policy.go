package coord

import (
	"context"
	"errors"
	"strconv"
)

// MemoryPolicy returns the server's maxmemory-policy and maxmemory in
// bytes (0: no limit), for `smsbridge doctor`. A server that refuses CONFIG
// (managed services often rename or forbid it) gives the error, which names
// no value: the URL and its password are not in it.
func (r *Redis) MemoryPolicy(ctx context.Context) (string, int64, error) {
	m, err := r.c.ConfigGet(ctx, "maxmemory*").Result()
	if err != nil {
		return "", 0, wrap("config get", err)
	}
	policy, ok := m["maxmemory-policy"]
	if !ok {
		return "", 0, errors.New("redis config get: no maxmemory-policy in the answer")
	}
	limit, _ := strconv.ParseInt(m["maxmemory"], 10, 64)
	return policy, limit, nil
}
