package coord_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/redistest"
)

// stores are every implementation, each run through the same contract.
func stores(t *testing.T) map[string]func(t *testing.T) coord.Store {
	return map[string]func(t *testing.T) coord.Store{
		"memory": func(*testing.T) coord.Store { return coord.NewMemory() },
		"redis": func(t *testing.T) coord.Store {
			r, err := coord.NewRedis(redistest.Start(t).URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return r
		},
		"failover with redis up": func(t *testing.T) coord.Store {
			r, err := coord.NewRedis(redistest.Start(t).URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return &coord.Failover{Primary: r, Backup: coord.NewMemory()}
		},
	}
}

func TestTheStoreContract(t *testing.T) {
	for name, newStore := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range contract {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, t.Context(), newStore(t)) })
			}
		})
	}
}

var contract = []struct {
	name string
	run  func(t *testing.T, ctx context.Context, s coord.Store)
}{
	{"a claim is taken once until it is released", func(t *testing.T, ctx context.Context, s coord.Store) {
		if ok, err := s.Claim(ctx, "claim:m1", time.Minute); !ok || err != nil {
			t.Fatalf("first claim = %v, %v", ok, err)
		}
		if ok, _ := s.Claim(ctx, "claim:m1", time.Minute); ok {
			t.Fatal("a held claim was taken again")
		}
		if err := s.Release(ctx, "claim:m1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Claim(ctx, "claim:m1", time.Minute); !ok {
			t.Fatal("a released claim could not be taken")
		}
	}},
	{"a claim expires", func(t *testing.T, ctx context.Context, s coord.Store) {
		s.Claim(ctx, "claim:m2", 50*time.Millisecond)
		time.Sleep(120 * time.Millisecond)
		if ok, _ := s.Claim(ctx, "claim:m2", time.Minute); !ok {
			t.Fatal("an expired claim could not be taken")
		}
	}},
	{"of many concurrent claims exactly one wins", func(t *testing.T, ctx context.Context, s coord.Store) {
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if ok, err := s.Claim(ctx, "claim:race", time.Minute); ok && err == nil {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d claims won, want 1", wins.Load())
		}
	}},
	{"a rank is stored and replaced", func(t *testing.T, ctx context.Context, s coord.Store) {
		if _, ok, _ := s.Rank(ctx, "rank:m1"); ok {
			t.Fatal("a rank exists before any was set")
		}
		s.SetRank(ctx, "rank:m1", 20, time.Minute)
		s.SetRank(ctx, "rank:m1", 50, time.Minute)
		if n, ok, err := s.Rank(ctx, "rank:m1"); n != 50 || !ok || err != nil {
			t.Fatalf("rank = %d %v %v, want 50", n, ok, err)
		}
	}},
	{"a counter's window starts with its first event", func(t *testing.T, ctx context.Context, s coord.Store) {
		if n, d, _ := s.Count(ctx, "count:a"); n != 0 || d != 0 {
			t.Fatalf("empty counter = %d, %v", n, d)
		}
		s.Add(ctx, "count:a", 1, 200*time.Millisecond)
		time.Sleep(100 * time.Millisecond)
		if n, _ := s.Add(ctx, "count:a", 2, 200*time.Millisecond); n != 3 {
			t.Fatalf("counter = %d, want 3", n)
		}
		n, d, _ := s.Count(ctx, "count:a")
		if n != 3 || d <= 0 || d > 150*time.Millisecond {
			t.Fatalf("count = %d, reset in %v; want 3 within the first window", n, d)
		}
		time.Sleep(d + 50*time.Millisecond)
		if n, _, _ := s.Count(ctx, "count:a"); n != 0 {
			t.Fatalf("counter after its window = %d, want 0", n)
		}
	}},
	{"a counter can be given back and reset", func(t *testing.T, ctx context.Context, s coord.Store) {
		s.Add(ctx, "count:b", 1, time.Minute)
		s.Add(ctx, "count:b", 1, time.Minute)
		if n, _ := s.Add(ctx, "count:b", -1, time.Minute); n != 1 {
			t.Fatalf("after giving one back = %d, want 1", n)
		}
		s.Release(ctx, "count:b")
		if n, _, _ := s.Count(ctx, "count:b"); n != 0 {
			t.Fatalf("after reset = %d", n)
		}
	}},
	{"bytes are stored for their ttl", func(t *testing.T, ctx context.Context, s coord.Store) {
		s.Put(ctx, "answer:k", []byte(`{"sid":"SM1"}`), 100*time.Millisecond)
		if v, ok, err := s.Get(ctx, "answer:k"); string(v) != `{"sid":"SM1"}` || !ok || err != nil {
			t.Fatalf("get = %q %v %v", v, ok, err)
		}
		time.Sleep(150 * time.Millisecond)
		if _, ok, _ := s.Get(ctx, "answer:k"); ok {
			t.Fatal("the answer outlived its ttl")
		}
	}},
}

func TestAFloodOfOneNamespaceDoesNotEvictAnother(t *testing.T) {
	ctx := t.Context()
	m := coord.NewMemoryBounded(100, time.Now)
	m.Add(ctx, "login-id:front_desk", 4, time.Minute)
	for i := range 10_050 {
		m.Add(ctx, "login-ip:client-"+string(rune('a'+i%26))+time.Duration(i).String(), 1, time.Minute)
	}
	if n, _, _ := m.Count(ctx, "login-id:front_desk"); n != 4 {
		t.Fatalf("the real admin's count = %d after a flood of another kind of key, want 4", n)
	}
}

func TestFailoverCarriesOnFromMemoryWhileRedisIsDown(t *testing.T) {
	srv := redistest.Start(t)
	r, err := coord.NewRedis(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var changes []bool
	var mu sync.Mutex
	f := &coord.Failover{Primary: r, Backup: coord.NewMemory(), OnChange: func(up bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		changes = append(changes, up)
	}}
	ctx := t.Context()
	if ok, err := f.Claim(ctx, "claim:x", time.Minute); !ok || err != nil || !f.Up() {
		t.Fatalf("claim with Redis up = %v %v, up %v", ok, err, f.Up())
	}
	srv.Stop()
	for i := range 20 { // every call answers, none with an error
		if _, err := f.Claim(ctx, "claim:y"+string(rune('a'+i)), time.Minute); err != nil {
			t.Fatalf("claim with Redis down: %v", err)
		}
	}
	if f.Up() {
		t.Error("Up() = true with Redis stopped")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(changes) != 1 || changes[0] {
		t.Errorf("OnChange calls = %v, want one 'down' (warnings at most once a minute)", changes)
	}
}

func TestFailoverCarriesOnFromMemoryWhileRedisHangs(t *testing.T) {
	srv := redistest.Start(t)
	r, err := coord.NewRedis(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := &coord.Failover{Primary: r, Backup: coord.NewMemory()}
	if ok, err := f.Claim(t.Context(), "claim:x", time.Minute); !ok || err != nil {
		t.Fatalf("claim with Redis up = %v %v", ok, err)
	}
	if err := srv.Pause(); err != nil { // connected, but answering nothing
		t.Fatal(err)
	}
	// A caller that can wait 2 s (less than go-redis's own 5 s default)
	// gets its answer from memory, not a timeout of its own.
	for i := range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		ok, err := f.Claim(ctx, "claim:y"+string(rune('a'+i)), time.Minute)
		cancel()
		if !ok || err != nil {
			t.Fatalf("claim %d with Redis hanging = %v, %v; want it taken from memory", i+1, ok, err)
		}
	}
	if f.Up() {
		t.Error("Up() = true after three calls to a hanging Redis")
	}
}
