package adminapi

import (
	"unicode/utf8"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/segments"
)

// parseMedium reads a request's "medium": "sms" (also when absent) or
// "whatsapp".
func parseMedium(m string) (string, error) {
	switch m {
	case "", bridge.MediumSMS:
		return bridge.MediumSMS, nil
	case bridge.MediumWhatsApp:
		return bridge.MediumWhatsApp, nil
	}
	return "", bridge.Errorf(bridge.ErrInvalid, "invalid_medium", `medium is "sms" (the default) or "whatsapp".`)
}

// onMedium applies the request's medium to rem: a WhatsApp reminder goes to
// the number's WhatsApp address and, from a template with a WhatsApp
// version, as that approved template (docs/whatsapp.md). Whether free text
// may go is the bridge's window rule, decided once the channel is read.
func (a *API) onMedium(rem bridge.Reminder, req ReminderRequest) (bridge.Reminder, error) {
	medium, err := parseMedium(req.Medium)
	if err != nil || medium != bridge.MediumWhatsApp {
		return rem, err
	}
	rem.To = bridge.WhatsAppAddress(rem.To)
	if req.Template != "" {
		rem.ContentSid, rem.ContentVariables, _ = a.templates.WhatsAppContent(req.Template, req.Params)
	}
	return rem, nil
}

// cost is what a text costs on its medium: SMS segments, or, on WhatsApp,
// one message whatever its length (Meta prices conversations, not segments).
type cost struct {
	Characters, Segments int
	Encoding, Medium     string
}

func costOf(text, medium string) cost {
	if medium == bridge.MediumWhatsApp {
		return cost{Characters: utf8.RuneCountInString(text), Segments: 1, Encoding: "whatsapp", Medium: medium}
	}
	c := segments.Of(text)
	return cost{Characters: c.Characters, Segments: c.Segments, Encoding: c.Encoding, Medium: bridge.MediumSMS}
}
