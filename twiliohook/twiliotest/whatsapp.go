package twiliotest

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// WhatsApp through Twilio (twilio.com/docs/whatsapp/api): addresses are
// "whatsapp:+E164" (or "whatsapp:<user id>"), a business may write free-form
// only within 24 hours of the user's last message, and outside that window
// only an approved template goes, sent as ContentSid + ContentVariables.
// Twilio accepts a free-form message outside the window and fails it
// afterwards, with 63016 in the status callback.
const (
	whatsAppWindow       = 24 * time.Hour
	codeOutsideWindow    = 63016 // "Failed to send freeform message because you are outside the allowed window"
	codeInvalidContent   = 21655 // "The ContentSid is Invalid"
	codeInvalidVariables = 21656 // "The ContentVariables Parameter is invalid"
)

func isWhatsApp(address string) bool { return strings.HasPrefix(address, "whatsapp:") }

// contentVariable is a {{1}} placeholder of a Content Template.
var contentVariable = regexp.MustCompile(`\{\{([0-9]+)\}\}`)

// AddContent registers an approved Content Template: sid (HX and 32 hex
// digits) and its body with {{1}}, {{2}}... variables. Messages sent with
// that ContentSid carry the rendered body, as Twilio's message log shows it.
func (s *Server) AddContent(sid, body string) {
	if !contentSidPattern.MatchString(sid) {
		s.violation("AddContent: %q is not HX followed by 32 hex digits", sid)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.contents == nil {
		s.contents = map[string]string{}
	}
	s.contents[sid] = body
}

var contentSidPattern = regexp.MustCompile(`^HX[0-9a-fA-F]{32}$`)

// SetLastInbound sets when the WhatsApp user at address last wrote, which
// opens (or, set in the past, closes) their 24-hour window: tests move it a
// day back instead of waiting. A Network's WhatsApp messages set it too.
func (s *Server) SetLastInbound(address string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastInbound == nil {
		s.lastInbound = map[string]time.Time{}
	}
	s.lastInbound[address] = at
}

// windowOpenLocked reports whether address wrote within the last 24 hours.
func (s *Server) windowOpenLocked(address string, now time.Time) bool {
	at, ok := s.lastInbound[address]
	return ok && now.Sub(at) < whatsAppWindow
}

// checkContent applies the Content API's rules to a request: a template
// names a registered ContentSid, its variables are a JSON object of strings
// covering every {{n}} in it, and it goes without Body or MediaUrl (Twilio
// ignores them, so sending them is a caller's mistake). It returns the
// rendered body.
func (s *Server) checkContent(c createRequest) (string, *Error, *errMisuse) {
	if c.contentSid == "" {
		if c.contentVariables != "" {
			return "", nil, &errMisuse{"ContentVariables without ContentSid: Twilio ignores them"}
		}
		return c.body, nil, nil
	}
	if c.body != "" || len(c.media) > 0 {
		return "", nil, &errMisuse{"Body or MediaUrl with ContentSid: a template is sent with ContentVariables only"}
	}
	s.mu.Lock()
	tpl, ok := s.contents[c.contentSid]
	s.mu.Unlock()
	if !ok {
		return "", &Error{Code: codeInvalidContent}, nil
	}
	vars := map[string]string{}
	if c.contentVariables != "" {
		if err := json.Unmarshal([]byte(c.contentVariables), &vars); err != nil {
			return "", &Error{Code: codeInvalidVariables}, nil
		}
	}
	var missing string
	body := contentVariable.ReplaceAllStringFunc(tpl, func(m string) string {
		key := m[2 : len(m)-2]
		v, ok := vars[key]
		if !ok && missing == "" {
			missing = key
		}
		return v
	})
	if missing != "" {
		return "", nil, &errMisuse{"ContentVariables has no value for {{" + missing + "}}: the patient would see the template's sample value"}
	}
	return body, nil, nil
}

// carrierSteps are the statuses a sent message moves through after its
// first: sent and delivered, or undelivered with the carrier's code; a
// WhatsApp message is then read, and a free-form one outside the window
// fails with 63016 without being sent.
func carrierSteps(m Message, unreachable int) []carrierStep {
	switch {
	case m.windowClosed:
		return []carrierStep{{"failed", codeOutsideWindow}}
	case unreachable != 0:
		return []carrierStep{{"sent", 0}, {"undelivered", unreachable}}
	case isWhatsApp(m.To):
		return []carrierStep{{"sent", 0}, {"delivered", 0}, {"read", 0}}
	}
	return []carrierStep{{"sent", 0}, {"delivered", 0}}
}

// WhatsAppMessage is what a WhatsApp user sends the clinic's WhatsApp sender.
type WhatsAppMessage struct {
	From        string // whatsapp:+E164 or whatsapp:<user id>
	ProfileName string
	Body        string
	// A quick-reply tap: the button's id and title (Body is the title too).
	ButtonPayload, ButtonText string
}

// InboundWhatsApp builds the form Twilio posts for a WhatsApp message
// (nyaruka/courier's twa_incoming fixture): the SMS parameters without the
// geographic ones, plus ProfileName, WaId (the digits of a number address),
// MessageType, and ButtonPayload/ButtonText for a tap.
func InboundWhatsApp(accountSID, messageSid, to string, m WhatsAppMessage) url.Values {
	f := InboundSMS(accountSID, messageSid, m.From, to, m.Body)
	for _, side := range []string{"From", "To"} {
		for _, k := range []string{"City", "Country", "State", "Zip"} {
			f.Del(side + k)
		}
	}
	f.Set("ProfileName", m.ProfileName)
	if n := strings.TrimPrefix(m.From, "whatsapp:+"); n != m.From {
		f.Set("WaId", n)
	}
	f.Set("MessageType", "text")
	if m.ButtonPayload != "" || m.ButtonText != "" {
		f.Set("MessageType", "button")
		f.Set("ButtonPayload", m.ButtonPayload)
		f.Set("ButtonText", m.ButtonText)
	}
	return f
}

// WhatsApp delivers m to the clinic's WhatsApp sender (NetworkOptions.WhatsAppNumber):
// the message is recorded, the user's 24-hour window opens, and the webhook
// is posted to IncomingURL. Twilio does not filter STOP on WhatsApp, so
// nothing is blocked: the business must honour it.
func (n *Network) WhatsApp(ctx context.Context, m WhatsAppMessage) (string, WebhookResult) {
	return n.whatsAppTo(ctx, n.opts.WhatsAppNumber, m)
}

// whatsAppTo delivers m to the clinic's WhatsApp sender to.
func (n *Network) whatsAppTo(ctx context.Context, to string, m WhatsAppMessage) (string, WebhookResult) {
	if m.ButtonText != "" && m.Body == "" {
		m.Body = m.ButtonText
	}
	n.srv.SetLastInbound(m.From, time.Now())
	sid := n.srv.AddInbound(Message{From: m.From, To: to, Body: m.Body})
	res := n.post(ctx, n.opts.IncomingURL, InboundWhatsApp(n.srv.opts.AccountSID, sid, to, m))
	res.Kind, res.Sid = "incoming", sid
	n.report(res)
	return sid, res
}
