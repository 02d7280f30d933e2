package streamtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Fault replaces the normal answer to a call. The zero Status with no Reset
// means "no error": the call is answered normally after Delay, which is how a
// test makes Stream slow.
type Fault struct {
	Status int // HTTP status, e.g. 500, 503, 429
	// Code is the Stream error code in the body; 0 picks the usual one:
	// -1 for 5xx, 9 for 429, 5 for 401, 16 for 404, 4 otherwise.
	Code int
	// Header adds headers, e.g. Retry-After; a 429 gets X-RateLimit-* (0
	// remaining, reset in ResetIn) unless Header sets them.
	Header http.Header
	// ResetIn is when a 429's window turns: X-RateLimit-Reset is this far
	// ahead, rounded up to Stream's whole seconds. 0 means a minute, the
	// length of Stream's windows.
	ResetIn time.Duration
	// Delay is waited before answering. A wait cut short by Close or by the
	// client giving up ends with a reset connection, the operation not done.
	Delay time.Duration
	// Apply performs the operation before the fault is returned: the work is
	// done but its response is lost, as when a connection drops after Stream
	// committed a message.
	Apply bool
	// Reset closes the connection without any response. Go's transport may
	// retry an idempotent request (GET) once on its own when that happens on
	// a reused connection, so such a call can be counted twice.
	Reset bool
}

// faultRule is a fault and how many more calls it applies to; remaining < 0
// means until ClearFaults.
type faultRule struct {
	fault     Fault
	remaining int
}

// FailNext gives the next n calls of op (an Op constant, or OpAny for every
// operation) the fault instead of the normal answer. Rules queue up: after n
// calls the next rule for op, if any, applies. A rule for op is used before
// one for OpAny.
func (s *Server) FailNext(op string, n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], &faultRule{fault: f, remaining: n})
}

// FailAlways gives every call of op the fault until ClearFaults.
func (s *Server) FailAlways(op string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], &faultRule{fault: f, remaining: -1})
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]*faultRule{}
}

// takeFault returns the fault for this call of op, if any, and uses it up.
func (s *Server) takeFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{op, OpAny} {
		rules := s.faults[key]
		if len(rules) == 0 {
			continue
		}
		rule := rules[0]
		if rule.remaining > 0 {
			rule.remaining--
			if rule.remaining == 0 {
				s.faults[key] = rules[1:]
			}
		}
		return rule.fault, true
	}
	return Fault{}, false
}

// wait sleeps for d, or less if the request is cancelled or the server is
// closing, so a delayed call never holds up Close. It reports whether the
// whole delay elapsed.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

// delayThenFault waits f.Delay, then answers with f. It returns false when
// f is a pure delay and the call should be answered normally. A delay cut
// short by Close (or a gone client) ends with a reset connection.
func (s *Server) delayThenFault(w http.ResponseWriter, r *http.Request, f Fault, start time.Time) bool {
	if !s.wait(r, f.Delay) {
		resetConnection(w)
		return true
	}
	return s.writeFault(w, f, start)
}

// writeFault answers with f. It returns false when f is a pure delay and the
// call should be answered normally.
func (s *Server) writeFault(w http.ResponseWriter, f Fault, start time.Time) bool {
	if f.Reset {
		resetConnection(w)
		return true
	}
	if f.Status == 0 {
		return false
	}
	code := f.Code
	if code == 0 {
		code = defaultCode(f.Status)
	}
	if f.Status == http.StatusTooManyRequests {
		w.Header().Set("X-RateLimit-Limit", "1000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		resetIn := f.ResetIn
		if resetIn <= 0 {
			resetIn = time.Minute
		}
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(start.Add(resetIn)), 10))
	}
	for k, vs := range f.Header {
		w.Header()[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	msg := fmt.Sprintf("streamtest: injected fault (%d %s)", f.Status, http.StatusText(f.Status))
	writeError(w, newAPIError(f.Status, code, msg), start)
	return true
}

// resetConnection closes the client connection without writing a response.
func resetConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection without logging
}
