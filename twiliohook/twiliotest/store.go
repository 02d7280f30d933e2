package twiliotest

import (
	"slices"
	"time"
)

// Messages returns the messages created through the API, in the order they were created.
func (s *Server) Messages() []Message {
	return s.outbound(func(Message) bool { return true })
}

// MessagesTo returns the messages created through the API to the number to, in order.
func (s *Server) MessagesTo(to string) []Message {
	return s.outbound(func(m Message) bool { return m.To == to })
}

func (s *Server) outbound(keep func(Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, r := range s.records {
		if r.Direction == "outbound-api" && keep(r.Message) {
			out = append(out, r.Message.clone())
		}
	}
	return out
}

// AddInbound records a message received from a phone, so ListMessage and FetchMessage
// return it. Direction is forced to "inbound"; empty fields default to a new sid ("MM" when
// media is attached), Status "received", DateCreated now and DateSent = DateCreated.
// Media get a sid when they have none, and MediaURLs are then the URLs Twilio gives those
// media (see MediaURL), so ListMedia and InboundWebhookFor agree with the log.
// It returns the sid.
func (s *Server) AddInbound(m Message) string {
	m = m.clone()
	m.Direction = "inbound"
	if m.Sid == "" {
		m.Sid = NewMessageSid()
		if len(m.MediaURLs) > 0 || len(m.Media) > 0 {
			m.Sid = newMMSSid()
		}
	}
	s.inboundMedia(&m)
	if m.Status == "" {
		m.Status = "received"
	}
	if m.DateCreated.IsZero() {
		m.DateCreated = time.Now().UTC()
	}
	if m.DateSent.IsZero() {
		m.DateSent = m.DateCreated
	}
	s.mu.Lock()
	_, dup := s.bySid[m.Sid]
	if !dup {
		s.addLocked(&record{Message: m, accountSid: s.opts.AccountSID, dateUpdated: m.DateCreated})
	}
	s.mu.Unlock()
	if dup {
		s.violation("AddInbound: sid %s is already recorded", m.Sid)
	}
	return m.Sid
}

// messageStatuses are the values of the spec's message_enum_status.
var messageStatuses = []string{"queued", "sending", "sent", "failed", "delivered", "undelivered",
	"receiving", "received", "accepted", "scheduled", "read", "partially_delivered", "canceled"}

// sentStatuses are the statuses that mean Twilio handed the message to the carrier, which
// is when date_sent gets its value.
var sentStatuses = []string{"sent", "delivered", "undelivered", "read", "partially_delivered"}

// Message returns the message with sid as recorded.
func (s *Server) Message(sid string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.bySid[sid]
	if !ok {
		return Message{}, false
	}
	return r.Message.clone(), true
}

// SetStatus changes a recorded message as a carrier report would: its status and its error
// code (0 for none). Unknown sids and statuses outside the spec's enum are reported
// through Options.Fail.
func (s *Server) SetStatus(sid, status string, errorCode int) {
	if !slices.Contains(messageStatuses, status) {
		s.violation("SetStatus(%s): %q is not a Twilio message status", sid, status)
		return
	}
	s.mu.Lock()
	r, ok := s.bySid[sid]
	if ok {
		now := time.Now().UTC()
		r.Status, r.ErrorCode, r.dateUpdated = status, errorCode, now
		if r.DateSent.IsZero() && slices.Contains(sentStatuses, status) {
			r.DateSent = now
		}
	}
	s.mu.Unlock()
	if !ok {
		s.violation("SetStatus: no message %s", sid)
	}
}
