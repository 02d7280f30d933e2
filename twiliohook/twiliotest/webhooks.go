package twiliotest

import (
	"net/url"
	"strconv"
	"strings"
)

// InboundSMS builds the form Twilio posts to an incoming-message webhook for a plain SMS
// (no media), with the parameters of Twilio's "request to your incoming message Webhook
// URL": AccountSid, MessageSid and its legacy twins SmsSid and SmsMessageSid, From, To,
// Body, NumMedia, NumSegments, SmsStatus, ApiVersion and the geographic fields. Twilio
// fills FromCountry/ToCountry from the number and leaves city, state and zip empty when it
// does not know them; the fake knows only the country of +1 and +44 numbers.
//
// Add MediaUrl0, MediaContentType0, ... and set NumMedia for MMS; add OptOutType, or
// MessagingServiceSid when the number belongs to a Messaging Service.
func InboundSMS(accountSID, messageSid, from, to, body string) url.Values {
	f := url.Values{}
	f.Set("AccountSid", accountSID)
	f.Set("ApiVersion", apiVersion)
	f.Set("Body", body)
	f.Set("From", from)
	f.Set("MessageSid", messageSid)
	f.Set("NumMedia", "0")
	f.Set("NumSegments", strconv.Itoa(segments(body)))
	f.Set("SmsMessageSid", messageSid)
	f.Set("SmsSid", messageSid)
	f.Set("SmsStatus", "received")
	f.Set("To", to)
	for _, side := range []struct{ prefix, number string }{{"From", from}, {"To", to}} {
		f.Set(side.prefix+"City", "")
		f.Set(side.prefix+"Country", country(side.number))
		f.Set(side.prefix+"State", "")
		f.Set(side.prefix+"Zip", "")
	}
	return f
}

func country(number string) string {
	switch {
	case strings.HasPrefix(number, "+1"):
		return "US"
	case strings.HasPrefix(number, "+44"):
		return "GB"
	}
	return ""
}

// StatusCallback builds the form of a message status callback: MessageSid, MessageStatus,
// ErrorCode (only when errorCode is not 0), AccountSid, ApiVersion, and the legacy SmsSid
// and SmsStatus. Twilio also sends From and To (and MessagingServiceSid when one was used);
// add them, or use Server.StatusCallbackFor, which fills them from a recorded message.
func StatusCallback(accountSID, messageSid, status string, errorCode int) url.Values {
	f := url.Values{}
	f.Set("AccountSid", accountSID)
	f.Set("ApiVersion", apiVersion)
	f.Set("MessageSid", messageSid)
	f.Set("MessageStatus", status)
	f.Set("SmsSid", messageSid)
	f.Set("SmsStatus", status)
	if errorCode != 0 {
		f.Set("ErrorCode", strconv.Itoa(errorCode))
	}
	return f
}

// StatusCallbackFor builds the status callback Twilio would send now for a recorded
// message (its current status and error code, with From, To and MessagingServiceSid).
// It returns nil, and reports through Options.Fail, when sid is unknown.
func (s *Server) StatusCallbackFor(sid string) url.Values {
	m, ok := s.recorded(sid, "StatusCallbackFor")
	if !ok {
		return nil
	}
	f := StatusCallback(s.opts.AccountSID, m.Sid, m.Status, m.ErrorCode)
	f.Set("To", m.To)
	if m.From != "" {
		f.Set("From", m.From)
	}
	if m.MessagingServiceSid != "" {
		f.Set("MessagingServiceSid", m.MessagingServiceSid)
	}
	return f
}

// recorded returns a copy of the message with that sid, reporting an
// unknown sid through Options.Fail on behalf of caller.
func (s *Server) recorded(sid, caller string) (Message, bool) {
	s.mu.Lock()
	r, ok := s.bySid[sid]
	var m Message
	if ok {
		m = r.Message.clone()
	}
	s.mu.Unlock()
	if !ok {
		s.violation("%s: no message %s", caller, sid)
	}
	return m, ok
}
