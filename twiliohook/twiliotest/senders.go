package twiliotest

import (
	"net/http"
	"slices"
)

// WhatsAppSender is a WhatsApp sender of the account (Messaging v2 Channels Sender) with
// the webhook settings `smsbridge doctor` reads.
type WhatsAppSender struct {
	Sid            string // "XE" + 32 hex digits; AddWhatsAppSender makes one when empty
	SenderID       string // whatsapp:+E164
	CallbackURL    string // "a message comes in"
	CallbackMethod string // defaults to POST
	FallbackURL    string
}

// AddWhatsAppSender adds a WhatsApp sender to the account and returns it as stored.
func (s *Server) AddWhatsAppSender(w WhatsAppSender) WhatsAppSender {
	if w.Sid == "" {
		w.Sid = newSid("XE")
	}
	if w.CallbackMethod == "" {
		w.CallbackMethod = http.MethodPost
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.senders = append(s.senders, w)
	return w
}

const sendersBase = "https://messaging.twilio.com/v2/Channels/Senders"

// listSenders serves ListChannelsSender for Channel=whatsapp, one page.
func (s *Server) listSenders(w http.ResponseWriter, r *http.Request, params map[string]string) {
	channel := r.URL.Query().Get("Channel")
	s.mu.Lock()
	list := []any{}
	for _, snd := range slices.Clone(s.senders) {
		if channel != "whatsapp" {
			break // the fake holds WhatsApp senders only
		}
		list = append(list, map[string]any{
			"sid": snd.Sid, "status": "ONLINE", "sender_id": snd.SenderID,
			"webhook": map[string]any{
				"callback_url": nullable(snd.CallbackURL), "callback_method": snd.CallbackMethod,
				"fallback_url": nullable(snd.FallbackURL), "fallback_method": http.MethodPost,
				"status_callback_url": nil, "status_callback_method": nil,
			},
			"url": sendersBase + "/" + snd.Sid,
		})
	}
	s.mu.Unlock()
	self := sendersBase + "?PageSize=50&Page=0&Channel=" + channel
	s.respond(w, r, opListSenders, params, http.StatusOK, map[string]any{"senders": list,
		"meta": map[string]any{"page": 0, "page_size": 50, "first_page_url": self, "url": self,
			"previous_page_url": nil, "next_page_url": nil, "key": "senders"}})
}
