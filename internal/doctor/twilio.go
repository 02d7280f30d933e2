package doctor

import (
	"context"
	"fmt"
	"net/http"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Check ids of the Twilio side.
const (
	IDNumberExists    = "twilio.number.exists"
	IDNumberSmsURL    = "twilio.number.sms_url"
	IDNumberMethod    = "twilio.number.method"
	IDNumberFallback  = "twilio.number.fallback_url"
	IDServiceInbound  = "twilio.service.inbound"
	IDServiceFallback = "twilio.service.fallback_url"
)

// numberConsole is where a number's messaging settings live in Twilio's console.
const numberConsole = "Twilio console → Phone Numbers → Manage → Active numbers → the number → Messaging Configuration"

// numberChecks checks one number. webhookUsed is false when a Messaging
// Service's own inbound settings override the number's.
func (d *Doctor) numberChecks(ctx context.Context, phone string, webhookUsed bool) []Result {
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	n, found, err := d.Twilio.Number(call, phone)
	cancel()
	switch {
	case err != nil:
		return []Result{unreachable(IDNumberExists, "Twilio", err)}
	case !found:
		return []Result{problem(IDNumberExists, StatusFail, last2(phone)+" is not a number of this Twilio account",
			"check "+d.sendersSetting()+" and TWILIO_ACCOUNT_SID: they must name a number of the same account")}
	case !n.SMS:
		return []Result{problem(IDNumberExists, StatusFail, last2(phone)+" cannot send or receive SMS",
			"use an SMS-capable number: "+numberConsole)}
	}
	rs := []Result{ok(IDNumberExists, last2(phone)+" is on the account and can send SMS")}
	if !webhookUsed {
		note := last2(phone) + ": not used, the Messaging Service's inbound settings apply (" + IDServiceInbound + ")"
		return append(rs, ok(IDNumberSmsURL, note), ok(IDNumberMethod, note), ok(IDNumberFallback, note))
	}
	return append(rs, d.smsURLCheck(n), d.methodCheck(n), d.fallbackCheck(n))
}

// inboundURL is the bridge's inbound webhook: what a number or service
// must call when a text comes in, with the retry fragment.
func (d *Doctor) inboundURL() string { return d.Settings.PublicURL + "/receive-sms" }

func (d *Doctor) setNumber(n Number) (string, func(context.Context) error) {
	want := d.inboundURL() + "#" + retryFragment
	return fmt.Sprintf("set %s's \"a message comes in\" webhook to POST %s", last2(n.Phone), want),
		func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
			defer cancel()
			return d.Twilio.SetNumberWebhook(ctx, n.Sid, want, http.MethodPost)
		}
}

func (d *Doctor) smsURLCheck(n Number) Result {
	same, retries := urlIs(n.SmsURL, d.inboundURL())
	switch {
	case same && retries:
		return ok(IDNumberSmsURL, last2(n.Phone)+" sends texts to "+shown(n.SmsURL))
	case same:
		return problem(IDNumberSmsURL, StatusWarn, last2(n.Phone)+" sends texts to the bridge without the retry fragment #"+retryFragment+
			": a text that meets a restart is not tried again", "").fixable(d.setNumber(n))
	}
	return problem(IDNumberSmsURL, StatusFail, last2(n.Phone)+" sends texts to "+shown(n.SmsURL)+", not to "+d.inboundURL()+
		": patients' texts never arrive", "").fixable(d.setNumber(n))
}

func (d *Doctor) methodCheck(n Number) Result {
	if n.SmsMethod == http.MethodPost {
		return ok(IDNumberMethod, last2(n.Phone)+" calls its webhook with POST")
	}
	return problem(IDNumberMethod, StatusFail, last2(n.Phone)+" calls its webhook with "+n.SmsMethod+
		": the bridge answers only POST, so texts never arrive", "").fixable(d.setNumber(n))
}

// fallbackCheck warns about a fallback URL that is not the bridge: when
// the bridge answers 5xx, Twilio gives the text to it instead of retrying.
func (d *Doctor) fallbackCheck(n Number) Result {
	if same, _ := urlIs(n.FallbackURL, d.inboundURL()); n.FallbackURL == "" || same {
		return ok(IDNumberFallback, last2(n.Phone)+" has no other fallback URL")
	}
	return problem(IDNumberFallback, StatusWarn, last2(n.Phone)+"'s fallback URL is "+shown(n.FallbackURL)+
		": texts the bridge cannot take right away go there instead of being retried",
		"clear \"Primary handler fails\": "+numberConsole)
}

// sendersSetting names the setting that lists the senders.
func (d *Doctor) sendersSetting() string {
	if d.Settings.LocationsFile {
		return "the location's numbers in LOCATIONS_FILE (or its service's sender pool)"
	}
	return "TWILIO_FROM_NUMBER (or the service's sender pool)"
}

// serviceCheck reads the Messaging Service sid and checks that its inbound
// settings send texts to the bridge. svc is nil when it cannot be read.
func (d *Doctor) serviceCheck(ctx context.Context, sid string) (*Service, []Result) {
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	svc, err := d.Twilio.Service(call, sid)
	cancel()
	if err != nil {
		return nil, []Result{unreachable(IDServiceInbound, "Twilio", err)}
	}
	if svc.UseNumberWebhook {
		return &svc, []Result{ok(IDServiceInbound, "the Messaging Service defers to each number's webhook (checked below)")}
	}
	return &svc, []Result{d.serviceInbound(svc), d.serviceFallback(svc)}
}

// serviceInbound checks the inbound settings of a service that overrides
// its numbers' webhooks.
func (d *Doctor) serviceInbound(svc Service) Result {
	want := d.inboundURL() + "#" + retryFragment
	change := "set the Messaging Service's inbound request URL to POST " + want
	apply := func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
		defer cancel()
		return d.Twilio.SetServiceInbound(ctx, svc.Sid, want, http.MethodPost)
	}
	same, retries := urlIs(svc.InboundURL, d.inboundURL())
	switch {
	case same && svc.InboundMethod == http.MethodPost && retries:
		return ok(IDServiceInbound, "the Messaging Service sends texts to "+shown(svc.InboundURL))
	case same && svc.InboundMethod == http.MethodPost:
		return problem(IDServiceInbound, StatusWarn, "the Messaging Service sends texts to the bridge without the retry fragment #"+
			retryFragment, "").fixable(change, apply)
	}
	return problem(IDServiceInbound, StatusFail, fmt.Sprintf(
		"the Messaging Service overrides its numbers' webhooks and sends texts to %s %s, not POST %s: patients' texts never arrive",
		svc.InboundMethod, shown(svc.InboundURL), d.inboundURL()), "").fixable(change, apply)
}

// serviceFallback is fallbackCheck for a service that overrides its
// numbers: its own fallback URL applies.
func (d *Doctor) serviceFallback(svc Service) Result {
	if same, _ := urlIs(svc.FallbackURL, d.inboundURL()); svc.FallbackURL == "" || same {
		return ok(IDServiceFallback, "the Messaging Service has no other fallback URL")
	}
	return problem(IDServiceFallback, StatusWarn, "the Messaging Service's fallback URL is "+shown(svc.FallbackURL)+
		": texts the bridge cannot take right away go there instead of being retried",
		"clear the fallback URL: Twilio console → Messaging → Services → the service → Integration")
}

// unreachable is the result of a check whose settings could not be read.
func unreachable(id, vendor string, err error) Result {
	return problem(id, StatusFail, "could not read the settings from "+vendor+": "+errorKind(err),
		"check the "+vendor+" credentials and that this machine can reach "+vendor)
}
