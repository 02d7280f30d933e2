package dev

import (
	"context"
	"fmt"
	"io"

	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/doctor"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// setUpConsoles configures the simulated consoles as docs/setup.md tells a
// clinic to configure the real ones, so `smsbridge doctor` finds a healthy
// set-up: the clinic's number with its inbound webhook, the Messaging
// Service deferring to it, and the admin as a Stream admin. (Stream's
// webhook URL is the push webhook connectSimulators sets.)
func (sb *Sandbox) setUpConsoles() {
	sb.twilio.AddNumber(twiliotest.IncomingNumber{PhoneNumber: clinicNumber, SmsURL: sb.URL + "/receive-sms#rc=3&rp=5xx"})
	sb.twilio.AddNumber(twiliotest.IncomingNumber{PhoneNumber: southNumber, SmsURL: sb.URL + "/receive-sms#rc=3&rp=5xx"})
	sb.twilio.AddService(twiliotest.MessagingService{Sid: messagingService, FriendlyName: "smsbridge sandbox",
		UseInboundWebhookOnNumber: true, Numbers: []string{clinicNumber}})
	sb.twilio.AddWhatsAppSender(twiliotest.WhatsAppSender{SenderID: whatsAppNumber, CallbackURL: sb.URL + "/receive-sms#rc=3&rp=5xx"})
	sb.stream.PutUser(streamtest.User{ID: adminID, Name: adminID, Role: "admin"})
}

// Doctor runs `smsbridge doctor --probe` against the simulators and the
// sandbox's own service, as a clinic runs it against its accounts.
func (sb *Sandbox) Doctor(ctx context.Context) ([]doctor.Result, error) {
	d, err := app.NewDoctor(sb.cfg, true)
	if err != nil {
		return nil, err
	}
	return d.Check(ctx), nil
}

// doctorLines writes the doctor's result for the banner: the summary, and
// each check that is not ok.
func doctorLines(w io.Writer, rs []doctor.Result, err error) {
	if err != nil {
		fmt.Fprintf(w, "  Doctor:    could not run: %v\n", err)
		return
	}
	fmt.Fprintf(w, "  Doctor:    %s (smsbridge doctor --probe; docs/doctor.md)\n", doctor.Summary(rs))
	for _, r := range rs {
		if r.Status != doctor.StatusOK {
			fmt.Fprintf(w, "             %s %s: %s\n", r.Status, r.ID, r.Found)
		}
	}
}
