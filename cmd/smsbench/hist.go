package main

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// histogram records latencies with under 1% error in fixed memory, so a
// long run costs the load generator nothing extra. Values below 128 ns get
// a bucket each; above, a bucket spans 1/128 of its power of two.
type histogram struct {
	counts [58 * subBuckets]atomic.Uint64
}

const (
	subBits    = 7
	subBuckets = 1 << subBits
)

func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return (shift+1)*subBuckets + int(v>>shift) - subBuckets
}

// lowest returns the smallest value in bucket i.
func lowest(i int) uint64 {
	if i < subBuckets {
		return uint64(i)
	}
	shift := i/subBuckets - 1
	return uint64(i%subBuckets+subBuckets) << shift
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))].Add(1)
}

// quantile returns the q-quantile (0 < q <= 1), as the middle of its bucket.
func (h *histogram) quantile(q float64) time.Duration {
	var total uint64
	for i := range h.counts {
		total += h.counts[i].Load()
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			lo, hi := lowest(i), lowest(i+1)
			return time.Duration(lo + (hi-lo)/2)
		}
	}
	return 0
}
