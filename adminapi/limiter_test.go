package adminapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
)

var t0 = time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)

func newLimits(now *time.Time) *loginLimits {
	return newLoginLimits(coord.NewMemoryBounded(coord.DefaultMaxPerNamespace, func() time.Time { return *now }), []byte("limiter-test-secret"))
}

func TestConcurrentGuessesCannotSlipPastTheLimit(t *testing.T) {
	now := t0
	g := newLimits(&now)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 80 {
		wg.Go(func() {
			if wait, _ := g.begin(context.Background(), "front_desk", "203.0.113."+strconv.Itoa(i)); wait == 0 {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != failuresPerID {
		t.Errorf("allowed %d concurrent attempts at one id from many clients, want %d", n, failuresPerID)
	}
}

func TestARefusedAttemptWritesNothing(t *testing.T) {
	now := t0
	ctx := context.Background()
	g := newLimits(&now)
	for i := range failuresPerClient {
		g.begin(ctx, "user"+strconv.Itoa(i), "203.0.113.9")
	}
	// 10,050 made-up ids from the blocked client: all refused, none stored.
	for i := range 10_050 {
		if wait, _ := g.begin(ctx, "made-up-"+strconv.Itoa(i), "203.0.113.9"); wait == 0 {
			t.Fatalf("attempt %d from a blocked client was allowed", i)
		}
	}
	for _, id := range []string{"made-up-0", "made-up-10049"} {
		if n, _, _ := g.c.Count(ctx, g.limitKeys(id, "203.0.113.9")[2].key); n != 0 {
			t.Errorf("a refused attempt left a count of %d for %s", n, id)
		}
	}
}

func TestOneClientsFailuresDoNotLockTheIDForAnother(t *testing.T) {
	now := t0
	ctx := context.Background()
	g := newLimits(&now)
	for range failuresPerIDClient {
		g.begin(ctx, "front_desk", "198.51.100.7")
	}
	if wait, _ := g.begin(ctx, "front_desk", "198.51.100.7"); wait == 0 {
		t.Fatal("the guessing client's 6th attempt was allowed")
	}
	if wait, _ := g.begin(ctx, "front_desk", "203.0.113.20"); wait != 0 {
		t.Fatalf("the admin's own client was refused for %v", wait)
	}
}

func TestAnIPv6Slash64IsOneClient(t *testing.T) {
	now := t0
	ctx := context.Background()
	g := newLimits(&now)
	for i := range failuresPerClient {
		ip := "2001:db8::" + strconv.FormatInt(int64(i+2), 16)
		if wait, _ := g.begin(ctx, "user"+strconv.Itoa(i), clientOf(ip)); wait != 0 {
			t.Fatalf("attempt %d refused early", i+1)
		}
	}
	if wait, _ := g.begin(ctx, "another", clientOf("2001:db8::ffff:1")); wait == 0 {
		t.Error("a new address in the same /64 got a fresh allowance")
	}
	if wait, _ := g.begin(ctx, "another", clientOf("2001:db8:0:1::2")); wait != 0 {
		t.Error("another /64 was refused")
	}
}

func TestTheWindowStartsWithTheFirstFailure(t *testing.T) {
	now := t0
	ctx := context.Background()
	g := newLimits(&now)
	for range failuresPerIDClient {
		g.begin(ctx, "front_desk", "198.51.100.7")
		now = now.Add(time.Minute)
	}
	wait, _ := g.begin(ctx, "front_desk", "198.51.100.7")
	if wait != 10*time.Minute {
		t.Errorf("wait = %v, want 10m (15 minutes from the first failure)", wait)
	}
	now = t0.Add(failureWindow)
	if wait, _ := g.begin(ctx, "front_desk", "198.51.100.7"); wait != 0 {
		t.Errorf("after the window: wait %v", wait)
	}
}

func TestClientsAreCountedByAddressOrSlash64(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.9":             "203.0.113.9",
		"::ffff:203.0.113.9":      "203.0.113.9",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":    "2001:db8:1:2::/64",
		"not an address (a test)": "not an address (a test)",
	} {
		if got := clientOf(in); got != want {
			t.Errorf("clientOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnIDsCounterIsNamedByAKeyedHashNotItsPlainSHA256(t *testing.T) {
	now := t0
	typed := "correct horse battery staple" // a password typed into the id field
	plain := sha256.Sum256([]byte(typed))
	a := newLimits(&now).limitKeys(typed, "203.0.113.9")[2].key
	b := newLoginLimits(coord.NewMemory(), []byte("another secret")).limitKeys(typed, "203.0.113.9")[2].key
	if a == "login-id:"+hex.EncodeToString(plain[:16]) || a == b {
		t.Errorf("counter names %s and %s: want an HMAC that depends on the secret", a, b)
	}
}
