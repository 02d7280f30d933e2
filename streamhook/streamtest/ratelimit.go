package streamtest

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimits makes the fake enforce Stream's per-endpoint limits: at most
// Limits[op] calls of op per Window, counted per app as Stream does, each
// answer carrying X-RateLimit-Limit, -Remaining and -Reset (Unix seconds),
// and a call over the limit refused with 429 and code 9
// (https://getstream.io/chat/docs/rate_limits). Stream's windows are a
// minute; tests scale them down (Window: 5 s) so a burst fits in a test.
// An op without a limit is not limited. The zero value is off.
type RateLimits struct {
	Window time.Duration
	Limits map[string]int
}

// window is one endpoint's current window.
type window struct {
	start time.Time
	used  int
}

// rateMessage is Stream's 429 message.
const rateMessage = "Too many requests, check response headers for rate limit information"

// admit counts a call of op against its window and reports the headers to
// send, and whether the call is over the limit. Refused calls count too: an
// app that keeps calling through a 429 stays limited, as on Stream.
func (s *Server) admit(op string, now time.Time) (http.Header, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rl := s.opts.RateLimits
	limit, ok := rl.Limits[op]
	if !ok || rl.Window <= 0 {
		return nil, false
	}
	w := s.windows[op]
	if w == nil || now.Sub(w.start) >= rl.Window {
		// Windows are aligned to the clock, as Stream's minutes are.
		w = &window{start: now.Truncate(rl.Window)}
		s.windows[op] = w
	}
	w.used++
	if w.used > limit {
		s.refused[op]++
		s.overPeak[op] = max(s.overPeak[op], w.used-limit)
	}
	reset := w.start.Add(rl.Window)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-w.used, 0)))
	// Stream's reset is whole seconds; rounding up keeps a client that waits
	// for it from arriving before the window turns.
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(reset), 10))
	return h, w.used > limit
}

// SetRateLimits replaces the limits from now on, as a plan change on
// Stream does; the current windows start again. A test seeds its world
// first, then limits it.
func (s *Server) SetRateLimits(rl RateLimits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.RateLimits = rl
	clear(s.windows)
}

func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() == 0 {
		return t.Unix()
	}
	return t.Unix() + 1
}

// Refused returns how many calls of op the rate limit refused with 429
// since the fake started.
func (s *Server) Refused(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused[op]
}

// OverPeak returns the most calls of op made over the limit within one
// window: what a client that keeps to the X-RateLimit-* answers can only
// reach with calls already in flight when the window ran out.
func (s *Server) OverPeak(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overPeak[op]
}

// writeRateLimited answers a call over the limit.
func writeRateLimited(w http.ResponseWriter, h http.Header, start time.Time) {
	for k, vs := range h {
		w.Header()[k] = vs
	}
	writeError(w, newAPIError(http.StatusTooManyRequests, codeRateLimited, rateMessage), start)
}
