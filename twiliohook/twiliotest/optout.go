package twiliotest

import "slices"

// pair is a patient's number and a clinic number it texted STOP to.
type pair struct{ patient, clinic string }

// optOut records a STOP from patient to clinic, as Twilio's default opt-out
// handling applies it: to that sending number, and, when the number is in a
// Messaging Service's sender pool, to the whole service (every number of
// its pool).
func (s *Server) optOut(patient, clinic string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.optOuts == nil {
		s.optOuts = map[pair]bool{}
	}
	for _, c := range s.sameSendersLocked(clinic) {
		s.optOuts[pair{patient, c}] = true
	}
}

// optIn lifts what optOut recorded, and an opt-out a test scripted with
// FailTo and 21610.
func (s *Server) optIn(patient, clinic string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.sameSendersLocked(clinic) {
		delete(s.optOuts, pair{patient, c})
	}
	if e, ok := s.failTo[patient]; ok && e.Code == codeUnsubscribed {
		delete(s.failTo, patient)
	}
}

// sameSendersLocked is clinic and every number sharing a Messaging
// Service's pool with it.
func (s *Server) sameSendersLocked(clinic string) []string {
	out := []string{clinic}
	for _, m := range s.services {
		if slices.Contains(m.Numbers, clinic) {
			out = append(out, m.Numbers...)
		}
	}
	return out
}

// optedOutLocked reports whether a message to patient from the number from,
// or through the service serviceSid, meets a STOP. A service the fake does
// not hold (no AddService) is taken to hold every number.
func (s *Server) optedOutLocked(patient, from, serviceSid string) bool {
	if s.optOuts[pair{patient, from}] {
		return true
	}
	if serviceSid == "" {
		return false
	}
	m, known := s.services[serviceSid]
	for p := range s.optOuts {
		if p.patient == patient && (!known || slices.Contains(m.Numbers, p.clinic)) {
			return true
		}
	}
	return false
}
