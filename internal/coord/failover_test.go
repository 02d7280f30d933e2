package coord_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/redistest"
)

// refusals are the two ways a Redis that answers reads refuses writes.
var refusals = map[string]func(*redistest.Server) error{
	"full (maxmemory, noeviction)": (*redistest.Server).Fill,
	"read-only (REPLICAOF)":        (*redistest.Server).ReadOnly,
}

func TestWhileRedisRefusesWritesReadsSeeWhatThisReplicaWrote(t *testing.T) {
	for name, refuse := range refusals {
		t.Run(name, func(t *testing.T) {
			g := newFailoverRig(t)
			ctx := t.Context()
			if err := refuse(g.srv); err != nil {
				t.Fatal(err)
			}
			if err := g.f.Put(ctx, "answer:k", []byte(`{"sid":"SM1"}`), time.Hour); err != nil {
				t.Fatalf("put with Redis refusing writes: %v", err)
			}
			g.clock.add(3 * time.Second)
			// Redis answers this read; it holds nothing, memory holds the answer.
			if v, ok, err := g.f.Get(ctx, "answer:k"); !ok || err != nil || string(v) != `{"sid":"SM1"}` {
				t.Fatalf("get 3 s after the refused write = %q %v %v; want memory's answer", v, ok, err)
			}
			// A key written before the outage is still read from Redis.
			if _, ok, err := g.f.Get(ctx, "answer:before"); ok || err != nil {
				t.Fatalf("get of a key nobody wrote = %v %v; want a miss Redis vouches for", ok, err)
			}
			if g.f.Up() {
				t.Error("Up() = true after a refused write")
			}
		})
	}
}

func TestAClaimTakenInMemoryIsReleasedInMemoryNotInRedis(t *testing.T) {
	g := newFailoverRig(t)
	ctx := t.Context()
	// Another replica holds lock:other in Redis.
	if ok, err := g.redis.Claim(ctx, "lock:other", time.Minute); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := g.srv.Fill(); err != nil {
		t.Fatal(err)
	}
	if ok, err := g.f.Claim(ctx, "lock:m", deadlines.StatusLock); !ok || err != nil {
		t.Fatalf("claim with Redis full = %v %v", ok, err)
	}
	if ok, _ := g.f.Claim(ctx, "lock:m", deadlines.StatusLock); ok {
		t.Fatal("a claim held in memory was taken twice")
	}
	g.f.Release(ctx, "lock:m")
	// Released where it was taken: taken again at once, without waiting out its TTL.
	if ok, err := g.f.Claim(ctx, "lock:m", deadlines.StatusLock); !ok || err != nil {
		t.Fatalf("claim after the release = %v %v; want it free at once", ok, err)
	}
	g.f.Claim(ctx, "lock:other", time.Minute)
	g.f.Release(ctx, "lock:other") // no DEL reaches Redis while it refuses writes
	if err := g.srv.TakeWrites(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := g.redis.Claim(ctx, "lock:other", time.Minute); ok {
		t.Error("the other replica's claim in Redis was released by this replica's release in memory")
	}
}

func TestRedisCountsAsDownForTheWholePeriodThenGetsMemorysKeysBack(t *testing.T) {
	g := newFailoverRig(t)
	ctx := t.Context()
	if err := g.srv.Fill(); err != nil {
		t.Fatal(err)
	}
	g.f.Claim(ctx, "send:m1", time.Minute)
	g.f.Put(ctx, "answer:k", []byte("first"), time.Hour)
	g.f.Add(ctx, "login-id:a", 2, time.Minute)
	g.f.SetRank(ctx, "rank:m1", 40, time.Hour)
	if err := g.srv.TakeWrites(); err != nil {
		t.Fatal(err)
	}
	for range 5 { // reads and writes Redis would answer now: still memory
		g.clock.add(5 * time.Second)
		if _, _, err := g.f.Rank(ctx, "rank:m1"); err != nil {
			t.Fatal(err)
		}
		g.f.Claim(ctx, "send:m2", time.Minute)
		if g.f.Up() {
			t.Fatalf("Up() = true %v after the failed write, before the down period (%v) ended",
				5*time.Second, deadlines.StoreDown)
		}
	}
	if ok, _ := g.redis.Claim(ctx, "send:m2", time.Minute); !ok {
		t.Fatal("a claim taken during the down period went to Redis")
	}
	g.redis.Release(ctx, "send:m2")
	g.clock.add(deadlines.StoreDown)
	g.waitUp(t)
	for _, key := range []string{"send:m1", "send:m2"} {
		if ok, _ := g.redis.Claim(ctx, key, time.Minute); ok {
			t.Errorf("%s, claimed in memory, was not written back to Redis", key)
		}
	}
	if v, ok, _ := g.redis.Get(ctx, "answer:k"); string(v) != "first" || !ok {
		t.Errorf("answer in Redis after the write-back = %q %v", v, ok)
	}
	if n, _, _ := g.redis.Count(ctx, "login-id:a"); n != 2 {
		t.Errorf("count in Redis after the write-back = %d, want 2", n)
	}
	if n, _, _ := g.redis.Rank(ctx, "rank:m1"); n != 40 {
		t.Errorf("rank in Redis after the write-back = %d, want 40", n)
	}
	if changes, _, _ := g.seen.snapshot(); len(changes) != 2 || changes[0] || !changes[1] {
		t.Errorf("OnChange calls = %v, want down then up", changes)
	}
}

func TestAFullRedisIsReportedOnceAMinuteAndTheStateDoesNotFlap(t *testing.T) {
	g := newFailoverRig(t)
	ctx := t.Context()
	if err := g.srv.Fill(); err != nil {
		t.Fatal(err)
	}
	// Three minutes of traffic, a call a second: reads Redis would answer,
	// writes it refuses, and a recovery attempt every down period.
	for i := range 180 {
		g.f.Claim(ctx, "send:m", time.Second)
		g.f.Get(ctx, "answer:x")
		g.f.Count(ctx, "login-id:a")
		if i%30 == 0 {
			time.Sleep(50 * time.Millisecond) // let a recovery attempt finish
		}
		g.clock.add(time.Second)
	}
	time.Sleep(50 * time.Millisecond)
	changes, writes, warns := g.seen.snapshot()
	if len(changes) != 1 || changes[0] {
		t.Errorf("OnChange calls over 3 minutes of a full Redis = %v, want one 'down'", changes)
	}
	if writes < 2 || warns < 1 || warns > 3 {
		t.Errorf("write errors = %d, warned %d; want some, warned at most once a minute", writes, warns)
	}
	if g.f.Up() {
		t.Error("Up() = true with Redis still full")
	}
}

func TestAGetRedisCannotAnswerIsUnavailableNotAMiss(t *testing.T) {
	g := newFailoverRig(t)
	ctx := t.Context()
	if err := g.redis.Put(ctx, "answer:old", []byte("kept in Redis"), time.Hour); err != nil {
		t.Fatal(err)
	}
	g.srv.Stop()
	g.f.Put(ctx, "answer:new", []byte("kept in memory"), time.Hour)
	if v, ok, err := g.f.Get(ctx, "answer:new"); !ok || err != nil || string(v) != "kept in memory" {
		t.Fatalf("get of memory's key = %q %v %v", v, ok, err)
	}
	if _, ok, err := g.f.Get(ctx, "answer:old"); ok || err == nil {
		t.Fatalf("get of a key only Redis holds, Redis stopped = %v %v; want ErrUnavailable", ok, err)
	}
}

func TestNoWriteIsLostWhileTheReplicaGoesBackToRedis(t *testing.T) {
	g := newFailoverRig(t)
	ctx := t.Context()
	if err := g.srv.Fill(); err != nil {
		t.Fatal(err)
	}
	g.f.Claim(ctx, "send:first", time.Minute)
	if err := g.srv.TakeWrites(); err != nil {
		t.Fatal(err)
	}
	g.clock.add(deadlines.StoreDown)
	var wg sync.WaitGroup
	for w := range 4 { // claims on memory, then on Redis, across the recovery
		wg.Go(func() {
			for i := range 100 {
				g.f.Claim(ctx, fmt.Sprintf("send:w%d-%d", w, i), time.Minute)
			}
		})
	}
	wg.Wait()
	g.waitUp(t)
	for w := range 4 {
		for i := range 100 {
			if ok, _ := g.redis.Claim(ctx, fmt.Sprintf("send:w%d-%d", w, i), time.Minute); ok {
				t.Fatalf("claim send:w%d-%d, taken around the recovery, is not in Redis", w, i)
			}
		}
	}
}

func TestALongOutageKeepsTheWriteBackBoundedAndWritesBackWhatMemoryHolds(t *testing.T) {
	defer coord.SetMaxJournal(100)()
	g := newFailoverRig(t)
	g.f.Backup = coord.NewMemoryBounded(50, time.Now) // per namespace
	ctx := t.Context()
	if err := g.srv.Fill(); err != nil {
		t.Fatal(err)
	}
	// A flood of made-up login ids: memory keeps the newest 50.
	for i := range 1000 {
		g.f.Add(ctx, fmt.Sprintf("login-id:made-up-%d", i), 1, time.Minute)
	}
	g.f.Put(ctx, "answer:real", []byte("kept"), time.Hour)
	if err := g.srv.TakeWrites(); err != nil {
		t.Fatal(err)
	}
	g.clock.add(deadlines.StoreDown)
	g.waitUp(t)
	if v, ok, _ := g.redis.Get(ctx, "answer:real"); !ok || string(v) != "kept" {
		t.Errorf("the answer written after the flood was not written back: %q %v", v, ok)
	}
	if n, _, _ := g.redis.Count(ctx, "login-id:made-up-999"); n != 1 {
		t.Errorf("the newest count memory held was not written back: %d", n)
	}
}
