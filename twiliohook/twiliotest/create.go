package twiliotest

import (
	"net/http"
	"net/url"
	"slices"
	"time"
)

// FailTo makes every later CreateMessage to the number to fail with e, after the request
// passed every other check: use it for permanent errors such as 21610 (recipient opted
// out), 21211 (invalid number) or 21614 (not a mobile number).
func (s *Server) FailTo(to string, e Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failTo[to] = e
}

// create serves CreateMessage for a request that passed auth and validation.
func (s *Server) create(w http.ResponseWriter, r *http.Request, params map[string]string, body []byte) {
	form, _ := url.ParseQuery(string(body)) // validated already, unless SkipValidation
	account := params["AccountSid"]
	if f, ok := s.takeFault(); ok {
		if f.Apply && f.Status == 0 && !f.Reset && f.Delay > 0 {
			s.answerLate(w, r, account, params, form, f.Delay)
			return
		}
		created := func() { _, _ = s.createMessage(r, account, form) }
		if s.injectFault(w, r, f, created) {
			return
		}
	}
	msg, apiErr := s.createMessage(r, account, form)
	if apiErr != nil {
		writeError(w, *apiErr)
		return
	}
	s.respond(w, r, opCreate, params, http.StatusCreated, msg)
}

// answerLate creates the message at once and answers normally only after
// delay: a response that arrives after the client gave up (its context ends
// the wait, and the connection is dropped).
func (s *Server) answerLate(w http.ResponseWriter, r *http.Request, account string, params map[string]string, form url.Values, delay time.Duration) {
	msg, apiErr := s.createMessage(r, account, form)
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return
	case <-s.done:
		return
	}
	if apiErr != nil {
		writeError(w, *apiErr)
		return
	}
	s.respond(w, r, opCreate, params, http.StatusCreated, msg)
}

// createMessage applies Twilio's rules and records the message, returning its API form.
func (s *Server) createMessage(r *http.Request, account string, form url.Values) (apiMessage, *Error) {
	now := time.Now().UTC()
	c := parseCreate(form)
	sendAt, apiErr, misuse := c.check(now)
	if misuse != nil {
		s.violation("%s %s: %s", r.Method, r.URL.Path, misuse.reason)
		return apiMessage{}, &Error{Code: codeUnknownParameters, Message: "twiliotest: " + misuse.reason}
	}
	if apiErr != nil {
		return apiMessage{}, apiErr
	}
	body, apiErr, misuse := s.checkContent(c)
	if misuse != nil {
		s.violation("%s %s: %s", r.Method, r.URL.Path, misuse.reason)
		return apiMessage{}, &Error{Code: codeUnknownParameters, Message: "twiliotest: " + misuse.reason}
	}
	if apiErr != nil {
		return apiMessage{}, apiErr
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.failTo[c.to]; ok {
		return apiMessage{}, &e
	}
	if s.optedOutLocked(c.to, c.from, c.serviceSid) {
		return apiMessage{}, &Error{Code: codeUnsubscribed}
	}
	sid := NewMessageSid()
	if len(c.media) > 0 {
		sid = newMMSSid()
	}
	rec := &record{
		Message: Message{
			Sid: sid, To: c.to, From: c.from, MessagingServiceSid: c.serviceSid, Body: body, ContentSid: c.contentSid,
			Status: c.initialStatus(), Direction: "outbound-api", StatusCallback: c.callback,
			ScheduleType: c.scheduleType, SendAt: sendAt, MediaURLs: slices.Clone(c.media),
			DateCreated:  now,
			windowClosed: isWhatsApp(c.to) && c.contentSid == "" && !s.windowOpenLocked(c.to, now),
		},
		accountSid:  account,
		dateUpdated: now,
	}
	s.addLocked(rec)
	s.messageCreatedLocked(rec.Message) // the carrier's part, when a Network is attached
	return rec.api(), nil
}

// addLocked stores rec; s.mu must be held.
func (s *Server) addLocked(rec *record) {
	rec.seq = len(s.records)
	s.records = append(s.records, rec)
	s.bySid[rec.Sid] = rec
}
