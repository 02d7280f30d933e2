package doctor

import (
	"context"
	"net/http"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// IDWhatsAppWebhook checks that the WhatsApp sender (TWILIO_WHATSAPP_FROM)
// sends incoming messages to the bridge (docs/whatsapp.md).
const IDWhatsAppWebhook = "twilio.whatsapp.webhook" // #nosec G101 -- a check id, not a credential

// whatsAppConsole is where a WhatsApp sender's webhook is set.
const whatsAppConsole = "Twilio console → Messaging → Senders → WhatsApp senders → the sender → Messaging endpoint configuration"

// whatsAppChecks checks the WhatsApp sender's webhook. A Messaging Service
// that does not defer to its senders' webhooks (svc) takes WhatsApp messages
// with its own inbound settings, checked already. There is no --fix: Twilio
// changes a sender's settings through Meta, which the doctor leaves to a person.
func (d *Doctor) whatsAppChecks(ctx context.Context, svc *Service) []Result {
	from := d.Settings.WhatsAppFrom
	switch {
	case from == "":
		return nil
	case svc != nil && !svc.UseNumberWebhook:
		return []Result{ok(IDWhatsAppWebhook, last2(from)+": not used, the Messaging Service's inbound settings apply ("+IDServiceInbound+")")}
	}
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	snd, found, err := d.Twilio.WhatsAppSender(call, from)
	cancel()
	switch {
	case err != nil:
		return []Result{unreachable(IDWhatsAppWebhook, "Twilio", err)}
	case !found:
		return []Result{problem(IDWhatsAppWebhook, StatusFail, "WhatsApp sender "+last2(from)+" is not a sender of this Twilio account",
			"check TWILIO_WHATSAPP_FROM (whatsapp:+E164, as the console lists the sender) and TWILIO_ACCOUNT_SID")}
	}
	same, retries := urlIs(snd.CallbackURL, d.inboundURL())
	switch {
	case !same:
		return []Result{problem(IDWhatsAppWebhook, StatusFail, "WhatsApp sender "+last2(from)+" sends messages to "+shown(snd.CallbackURL)+
			", not to "+d.inboundURL()+": patients' WhatsApp messages never arrive",
			"set the webhook URL for incoming messages to POST "+d.inboundURL()+"#"+retryFragment+": "+whatsAppConsole)}
	case snd.CallbackMethod != http.MethodPost:
		return []Result{problem(IDWhatsAppWebhook, StatusFail, "WhatsApp sender "+last2(from)+" calls its webhook with "+snd.CallbackMethod+
			": the bridge answers only POST", "set the method to POST: "+whatsAppConsole)}
	case !retries:
		return []Result{problem(IDWhatsAppWebhook, StatusWarn, "WhatsApp sender "+last2(from)+" sends messages to the bridge without the retry fragment #"+
			retryFragment+": a message that meets a restart is not tried again", "add #"+retryFragment+" to the URL: "+whatsAppConsole)}
	}
	return []Result{ok(IDWhatsAppWebhook, "WhatsApp sender "+last2(from)+" sends messages to "+shown(snd.CallbackURL))}
}
