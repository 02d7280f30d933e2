package adminapi

import (
	"container/list"
	"sync"
	"time"
)

// Login limits (docs/contract.md §4.4): more than 5 failures for one id or 20
// for one client IP within 15 minutes are refused with 429.
const (
	failuresPerID = 5
	failuresPerIP = 20
	failureWindow = 15 * time.Minute
	// maxTracked bounds each limiter's memory. Past it the oldest windows
	// are dropped first; the per-IP limit keeps one client from flooding
	// the per-id table with made-up ids.
	maxTracked = 10000
)

// loginLimits counts failed logins per admin id and per client IP. Counts
// live in this replica's memory: behind a load balancer of n replicas a
// client can make up to n times the attempts.
type loginLimits struct{ byID, byIP *limiter }

func newLoginLimits() *loginLimits {
	return &loginLimits{
		byID: newLimiter(failuresPerID, failureWindow, maxTracked),
		byIP: newLimiter(failuresPerIP, failureWindow, maxTracked),
	}
}

// begin reserves an attempt for id from ip, counting it as a failure until
// succeeded says otherwise, so concurrent guesses cannot slip past the limit
// while their bcrypt comparisons run. When either limit is reached it counts
// nothing and returns how long to wait.
func (g *loginLimits) begin(id, ip string, now time.Time) time.Duration {
	if wait := g.byID.take(id, now); wait > 0 {
		return wait
	}
	if wait := g.byIP.take(ip, now); wait > 0 {
		g.byID.give(id)
		return wait
	}
	return 0
}

// succeeded forgets id's failures and returns ip's reserved attempt. Earlier
// failures from ip stay counted: one valid account must not reset the limit
// for guessing others.
func (g *loginLimits) succeeded(id, ip string) {
	g.byID.reset(id)
	g.byIP.give(ip)
}

// limiter allows limit events per key in a window that starts with the
// key's first event. Windows are kept in a list ordered by start, so expired
// and oldest entries are dropped from the front.
type limiter struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	max     int
	entries map[string]*list.Element // of *limitWindow
	order   *list.List
}

type limitWindow struct {
	key   string
	start time.Time
	count int
}

func newLimiter(limit int, window time.Duration, max int) *limiter {
	return &limiter{limit: limit, window: window, max: max, entries: map[string]*list.Element{}, order: list.New()}
}

// take counts one event for key and returns 0, or counts nothing and
// returns the time until key's window ends when the limit is reached.
func (l *limiter) take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expire(now)
	el, ok := l.entries[key]
	if !ok {
		for l.order.Len() >= l.max {
			l.drop(l.order.Front())
		}
		el = l.order.PushBack(&limitWindow{key: key, start: now})
		l.entries[key] = el
	}
	w := el.Value.(*limitWindow)
	if !now.Before(w.start.Add(l.window)) {
		// Ended but not dropped yet (clocks read just before the lock can
		// leave a window slightly out of order): start a new one.
		w.start, w.count = now, 0
		l.order.MoveToBack(el)
	}
	if w.count >= l.limit {
		return w.start.Add(l.window).Sub(now)
	}
	w.count++
	return 0
}

// give takes back one event of key (an attempt that did not fail).
func (l *limiter) give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.entries[key]; ok {
		if w := el.Value.(*limitWindow); w.count > 0 {
			w.count--
		}
	}
}

// reset forgets key.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.entries[key]; ok {
		l.drop(el)
	}
}

// expire drops the windows that have ended; they are at the front.
func (l *limiter) expire(now time.Time) {
	for el := l.order.Front(); el != nil; el = l.order.Front() {
		if now.Before(el.Value.(*limitWindow).start.Add(l.window)) {
			return
		}
		l.drop(el)
	}
}

func (l *limiter) drop(el *list.Element) {
	delete(l.entries, el.Value.(*limitWindow).key)
	l.order.Remove(el)
}
