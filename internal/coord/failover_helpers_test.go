package coord_test

import (
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/redistest"
)

// clock is a settable time for the failover's down period.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// notices records what the failover reports.
type notices struct {
	mu      sync.Mutex
	changes []bool
	writes  int // failed writes
	warns   int // of which warned
}

func (n *notices) change(up bool, _ error) {
	n.mu.Lock()
	n.changes = append(n.changes, up)
	n.mu.Unlock()
}
func (n *notices) write(_ error, warn bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.writes++
	if warn {
		n.warns++
	}
}

func (n *notices) snapshot() ([]bool, int, int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]bool(nil), n.changes...), n.writes, n.warns
}

type failoverRig struct {
	srv   *redistest.Server
	redis *coord.Redis
	f     *coord.Failover
	clock *clock
	seen  *notices
}

func newFailoverRig(t *testing.T) *failoverRig {
	srv := redistest.Start(t)
	r, err := coord.NewRedis(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	seen := &notices{}
	f := &coord.Failover{Primary: r, Backup: coord.NewMemory(), Now: c.now, OnChange: seen.change, OnWriteError: seen.write}
	return &failoverRig{srv: srv, redis: r, f: f, clock: c, seen: seen}
}

// waitUp waits (bounded) for the failover's recovery, which runs on its own.
func (g *failoverRig) waitUp(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		g.f.Claim(t.Context(), "nudge:x", time.Millisecond) // the first call after the period starts it
		if g.f.Up() {
			return
		}
	}
	t.Fatal("the failover did not use Redis again after the down period with Redis taking writes")
}
