package twiliotest

// What load benchmarks (cmd/smsbench) need from the fake: how many TCP
// connections its clients opened, to prove that keep-alive pools are reused,
// and a way to drop recorded messages between runs, so a long benchmark's
// memory reflects the code under test rather than the fake's history.

// AcceptedConns returns how many TCP connections the fake has accepted since
// it started. Compare two readings to count the connections a phase opened.
func (s *Server) AcceptedConns() int64 { return s.accepted.Accepted() }

// ForgetMessages drops every recorded message, inbound and outbound. Calls
// and scripted failures (FailTo, FailNext) are kept.
func (s *Server) ForgetMessages() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = nil
	s.bySid = map[string]*record{}
}
