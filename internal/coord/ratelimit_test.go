package coord_test

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
)

func TestEveryStoreKeepsARateAllowance(t *testing.T) {
	for name, newStore := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range rateContract {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, t.Context(), newStore(t)) })
			}
		})
	}
}

var rateContract = []struct {
	name string
	run  func(t *testing.T, ctx context.Context, s coord.Store)
}{
	{"a burst is let in, the next event waits one interval", func(t *testing.T, ctx context.Context, s coord.Store) {
		r := coord.Rate{PerMinute: 120, Burst: 3} // one event every 500 ms
		for i := range 3 {
			if ok, _, err := s.Take(ctx, "rate:a", r); !ok || err != nil {
				t.Fatalf("event %d of a burst of 3 refused (%v)", i+1, err)
			}
		}
		ok, wait, err := s.Take(ctx, "rate:a", r)
		if ok || err != nil || wait <= 0 || wait > 500*time.Millisecond {
			t.Fatalf("4th event = %v, wait %v, %v; want refused for at most 500 ms", ok, wait, err)
		}
		if ok, _, _ := s.Take(ctx, "rate:other", r); !ok {
			t.Fatal("another key's allowance was spent by this one")
		}
		time.Sleep(wait + 50*time.Millisecond)
		if ok, _, _ := s.Take(ctx, "rate:a", r); !ok {
			t.Fatalf("an event after the wait (%v) was refused", wait)
		}
		if ok, _, _ := s.Take(ctx, "rate:a", r); ok {
			t.Fatal("two events were let in after one interval")
		}
	}},
	{"of many concurrent events exactly the burst is let in", func(t *testing.T, ctx context.Context, s coord.Store) {
		r := coord.Rate{PerMinute: 1, Burst: 10}
		var in atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if ok, _, err := s.Take(ctx, "rate:race", r); ok && err == nil {
					in.Add(1)
				}
			})
		}
		wg.Wait()
		if in.Load() != 10 {
			t.Fatalf("%d events let in, want the burst of 10", in.Load())
		}
	}},
}

func TestMemorysAllowanceIsTheRateOverTimeAfterTheBurst(t *testing.T) {
	now := time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)
	m := coord.NewMemoryBounded(100, func() time.Time { return now })
	r := coord.Rate{PerMinute: 60, Burst: 20}
	in := 0
	// Someone asking every 100 ms, from 0 s to 600 s inclusive.
	for range 6001 {
		if ok, _, _ := m.Take(t.Context(), "rate:admin", r); ok {
			in++
		}
		now = now.Add(100 * time.Millisecond)
	}
	if in != 20+600 {
		t.Fatalf("%d events let in over ten minutes, want the burst of 20 plus 60 a minute (620)", in)
	}
	// After a quiet spell the burst is back, and no more than it.
	now = now.Add(time.Hour)
	in = 0
	for range 30 {
		if ok, _, _ := m.Take(t.Context(), "rate:admin", r); ok {
			in++
		}
	}
	_, wait, _ := m.Take(t.Context(), "rate:admin", r)
	if in != 20 || wait != time.Second {
		t.Fatalf("after an hour: %d let in at once, then wait %v; want 20, then 1s", in, wait)
	}
}

func TestAFailoverWhoseRedisIsDownStillLimitsFromMemory(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there: Redis is down
	r, err := coord.NewRedis("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := &coord.Failover{Primary: r, Backup: coord.NewMemory()}
	rate := coord.Rate{PerMinute: 1, Burst: 3}
	for i := range 3 {
		if ok, _, err := f.Take(t.Context(), "rate:reminders:front_desk", rate); !ok || err != nil {
			t.Fatalf("event %d with Redis down: %v, %v", i+1, ok, err)
		}
	}
	if ok, wait, err := f.Take(t.Context(), "rate:reminders:front_desk", rate); ok || wait <= 0 || err != nil {
		t.Fatalf("4th event with Redis down = %v, wait %v, %v; want refused from memory", ok, wait, err)
	}
}
