package streamtest

import (
	"net/http"
	"sync"
)

// Hold is one call held before the fake does it (HoldMessage): the test
// learns when it arrived and decides when it may go on, so it can act
// between two of the client's calls, e.g. kill the process that made it.
type Hold struct {
	op, id    string
	reached   chan struct{}
	release   chan struct{}
	relOnce   sync.Once
	abandoned chan struct{} // closed when the caller gave up while held
}

// Reached is closed once the held call has arrived.
func (h *Hold) Reached() <-chan struct{} { return h.reached }

// Abandoned is closed when the held caller went away (its connection closed
// or its context ended) before Release: the call was never done.
func (h *Hold) Abandoned() <-chan struct{} { return h.abandoned }

// Release lets the held call go on and be answered as usual.
func (h *Hold) Release() { h.relOnce.Do(func() { close(h.release) }) }

// HoldMessage holds the next call of op (an Op constant) on message id
// before it is done, until Release, the caller going away (the call is
// then not done) or Close. Only that one call is held; later ones are
// answered at once.
func (s *Server) HoldMessage(op, id string) *Hold {
	h := &Hold{op: op, id: id, reached: make(chan struct{}), release: make(chan struct{}), abandoned: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds = append(s.holds, h)
	return h
}

// takeHold returns the hold for this call, if any, and uses it up.
func (s *Server) takeHold(c *call) *Hold {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, h := range s.holds {
		if h.op == c.op && h.id == c.params["id"] {
			s.holds = append(s.holds[:i:i], s.holds[i+1:]...)
			return h
		}
	}
	return nil
}

// waitHold holds the call until h is released. It reports false when the
// caller went away or the server is closing: the call is dropped undone.
func (s *Server) waitHold(w http.ResponseWriter, r *http.Request, h *Hold) bool {
	close(h.reached)
	select {
	case <-h.release:
		return true
	case <-r.Context().Done():
		close(h.abandoned)
	case <-s.done:
	}
	resetConnection(w)
	return false
}
