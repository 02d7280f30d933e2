package dev

import (
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// clinicNumber is the sandbox clinic's Twilio number (fictional, 555-01xx).
const clinicNumber = "+12015550100"

// southNumber is the sandbox's second location's number (locations.go).
const southNumber = "+12015550101"

// whatsAppNumber is the sandbox clinic's WhatsApp sender (TWILIO_WHATSAPP_FROM).
const whatsAppNumber = "whatsapp:+12015550100"

// messagingService is the sandbox's simulated Twilio Messaging Service, so
// scheduled reminders work as they do with a real one.
const messagingService = "MG5a4db0c5a4db0c5a4db0c5a4db0c5a4d"

// Error codes the failing phones answer with (Twilio's numbers).
const (
	codeOptedOut    = 21610 // "Attempt to send to unsubscribed recipient"
	codeUnreachable = 30003 // "Unreachable destination handset"
)

// phone is a fictional patient phone the console offers. Note says how it
// fails, for the ones that fail on purpose.
type phone struct {
	Number string `json:"number"`
	Note   string `json:"note,omitempty"`
	refuse int    // Twilio refuses sends to it with this code
	lost   int    // the carrier reports it undelivered with this code
}

// phones are the console's ready-made numbers: all fictional (docs/contract.md
// §3), two of them failing the way real phones do.
var phones = []phone{
	{Number: "+12015550123"},
	{Number: "+12015550142"},
	{Number: "+442079460321"},
	{Number: "whatsapp:+12015550155"}, // a patient on WhatsApp (docs/whatsapp.md)
	{Number: "+12015550166", refuse: codeOptedOut,
		Note: "Opted out: Twilio refuses messages to it (21610) until it texts START."},
	{Number: "+12015550177", lost: codeUnreachable,
		Note: "Switched off: messages to it end undelivered (30003)."},
}

// scriptFailures makes the failing phones fail, through the fakes' own
// scripting: a refusal at send time, and a carrier that cannot deliver.
func scriptFailures(tw *twiliotest.Server, net *twiliotest.Network) {
	for _, p := range phones {
		if p.refuse != 0 {
			tw.FailTo(p.Number, twiliotest.Error{Code: p.refuse})
		}
		if p.lost != 0 {
			net.Unreachable(p.Number, p.lost)
		}
	}
}
