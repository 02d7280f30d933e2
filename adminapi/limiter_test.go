package adminapi

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)

func (l *limiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

func TestALimiterAllowsLimitEventsPerWindow(t *testing.T) {
	l := newLimiter(5, 15*time.Minute, 100)
	for i := range 5 {
		if wait := l.take("front_desk", t0.Add(time.Duration(i)*time.Minute)); wait != 0 {
			t.Fatalf("event %d refused", i+1)
		}
	}
	if wait := l.take("front_desk", t0.Add(10*time.Minute)); wait != 5*time.Minute {
		t.Errorf("6th event: wait = %v, want 5m (the window started at the first)", wait)
	}
	if wait := l.take("dr_lee", t0.Add(10*time.Minute)); wait != 0 {
		t.Errorf("another key was refused")
	}
	if wait := l.take("front_desk", t0.Add(15*time.Minute)); wait != 0 {
		t.Errorf("after the window: wait = %v", wait)
	}
}

func TestGiveAndResetUndoEvents(t *testing.T) {
	l := newLimiter(2, time.Minute, 100)
	l.take("k", t0)
	l.take("k", t0)
	l.give("k")
	if wait := l.take("k", t0); wait != 0 {
		t.Errorf("after give: refused")
	}
	l.reset("k")
	l.take("k", t0)
	if wait := l.take("k", t0); wait != 0 {
		t.Errorf("after reset: refused")
	}
}

func TestALimiterHoldsABoundedNumberOfKeys(t *testing.T) {
	l := newLimiter(5, 15*time.Minute, 100)
	for i := range 1000 {
		l.take("id"+strconv.Itoa(i), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if n := l.tracked(); n != 100 {
		t.Errorf("tracked = %d, want the cap of 100", n)
	}
	l.take("late", t0.Add(time.Hour))
	if n := l.tracked(); n != 1 {
		t.Errorf("after every window ended: tracked = %d, want 1", n)
	}
}

func TestConcurrentGuessesCannotSlipPastTheLimit(t *testing.T) {
	g := newLoginLimits()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if g.begin("front_desk", "203.0.113."+strconv.Itoa(i), t0) == 0 {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != failuresPerID {
		t.Errorf("allowed %d concurrent attempts, want %d", n, failuresPerID)
	}
}

func TestARefusedIPGivesBackTheIDsAttempt(t *testing.T) {
	g := newLoginLimits()
	for i := range failuresPerIP {
		g.begin("user"+strconv.Itoa(i), "203.0.113.9", t0)
	}
	if g.begin("front_desk", "203.0.113.9", t0) == 0 {
		t.Fatal("the IP's 21st attempt was allowed")
	}
	for i := range failuresPerID {
		if g.begin("front_desk", "198.51.100."+strconv.Itoa(i), t0) != 0 {
			t.Fatalf("attempt %d for front_desk from other IPs refused: the refused one was counted", i+1)
		}
	}
}
