package doctor

import (
	"context"
	"fmt"
)

// IDRedisEviction is the check of the coordination store's eviction policy.
const IDRedisEviction = "redis.eviction"

// Redis is what the check reads of the coordination store under REDIS_URL
// (coord.Redis implements it).
type Redis interface {
	// MemoryPolicy returns Redis's maxmemory-policy and maxmemory (bytes;
	// 0 is no limit), or the error of CONFIG GET: a managed Redis may
	// refuse CONFIG.
	MemoryPolicy(ctx context.Context) (policy string, maxmemory int64, err error)
}

// redisCheck: a Redis that evicts keys when full may drop a send claim or
// an idempotency answer, and the bridge then sends an SMS twice; with
// noeviction a full Redis refuses writes, which the bridge notices and
// works around (docs/replicas.md). Never a failure: serve runs without
// Redis, and a managed Redis may not tell.
func (d *Doctor) redisCheck(ctx context.Context) Result {
	policy, limit, err := d.Redis.MemoryPolicy(ctx)
	const fix = "run Redis with maxmemory-policy noeviction and a maxmemory sized as docs/replicas.md says " +
		"(the shipped compose file and Kubernetes overlay do)"
	switch {
	case err != nil:
		return problem(IDRedisEviction, StatusWarn,
			"could not read REDIS_URL's maxmemory-policy ("+err.Error()+"); a managed Redis may refuse CONFIG GET",
			"check in the provider's console that the policy is noeviction: any other lets Redis drop a send claim when full")
	case policy != "noeviction":
		return problem(IDRedisEviction, StatusWarn,
			"REDIS_URL's Redis evicts keys when full (maxmemory-policy "+policy+"): it may drop a send claim or an "+
				"Idempotency-Key's answer, and an SMS then goes out twice", fix)
	case limit == 0:
		return problem(IDRedisEviction, StatusInfo,
			"REDIS_URL's Redis never evicts (noeviction) but has no maxmemory: it grows until its host runs out", fix)
	}
	return ok(IDRedisEviction, fmt.Sprintf("REDIS_URL's Redis never evicts (noeviction, maxmemory %d MB): when full it "+
		"refuses writes, and the bridge falls back to memory", limit>>20))
}
