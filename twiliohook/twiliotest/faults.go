package twiliotest

import (
	"net"
	"net/http"
	"time"
)

// Fault is a transient failure of one CreateMessage call, injected after the request
// passed auth and spec validation.
type Fault struct {
	// Status and Code make the answer: e.g. 500, 503, or 429 with a Retry-After Header.
	// A zero Code takes the one Twilio uses for Status (20500, 20503, 20429).
	Status int
	Code   int
	Header http.Header
	// Delay holds the answer back. It ends early when the client gives up (the request's
	// context is done) or the server closes. A Fault with neither Status nor Reset only
	// delays: the call then proceeds normally.
	Delay time.Duration
	// Apply creates the message before the fault is answered: the "lost response" case,
	// where Twilio sent the SMS but the client never learned it. With Delay and neither
	// Status nor Reset, the message is created at once and the normal answer comes only
	// after Delay: an answer that arrives after the client gave up.
	Apply bool
	// Reset hijacks the connection and closes it without an answer (a TCP reset).
	Reset bool
}

// OpCreateMessage names CreateMessage (POST .../Messages.json), the operation faults apply
// to. FailNext takes an operation, as streamtest's does, so a test reads the same against
// either fake.
const OpCreateMessage = "create_message"

// FailNext makes the next n calls of op fail with f, in addition to faults already queued.
// Only OpCreateMessage takes faults; any other op is a mistake in the test and panics.
func (s *Server) FailNext(op string, n int, f Fault) {
	if op != OpCreateMessage {
		panic("twiliotest: FailNext supports only OpCreateMessage, not " + op)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// ClearFaults drops every queued fault and every FailTo rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.failTo = map[string]Error{}
}

func (s *Server) takeFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// injectFault plays f. It reports whether the request was answered (or abandoned); false
// means the call should proceed normally. create records the message for Apply.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, f Fault, create func()) bool {
	failing := f.Status != 0 || f.Reset
	if failing && f.Apply {
		create()
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		case <-s.done:
			return true
		}
	}
	switch {
	case f.Reset:
		resetConnection(w)
	case f.Status != 0:
		for k, vs := range f.Header {
			w.Header()[k] = append([]string(nil), vs...)
		}
		writeError(w, Error{Status: f.Status, Code: f.Code})
	default:
		return false
	}
	return true
}

// resetConnection closes the client's connection without an HTTP answer; with SO_LINGER 0
// the client sees a reset rather than a clean close.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // makes net/http drop the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
