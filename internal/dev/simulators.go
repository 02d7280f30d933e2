package dev

import (
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// connectSimulators points the simulators at the service the way a clinic
// sets up the real ones (docs/setup.md): Stream's webhook at /stream-outgoing-sms,
// the Twilio number's incoming webhook at /receive-sms with the retry
// overrides, and then scripts the phones that fail on purpose.
func (sb *Sandbox) connectSimulators(step time.Duration) {
	sb.setUpConsoles()
	sb.stream.SetWebhook(streamtest.Webhook{URL: sb.URL + "/stream-outgoing-sms", Report: sb.reportStream})
	sb.network = sb.twilio.NewNetwork(twiliotest.NetworkOptions{
		Number:         clinicNumber,
		Numbers:        []string{southNumber},
		WhatsAppNumber: whatsAppNumber,
		IncomingURL:    sb.URL + "/receive-sms#rc=3&rp=5xx",
		Step:           step,
		Report:         sb.reportTwilio,
	})
	scriptFailures(sb.twilio, sb.network)
}

// reportStream logs how a simulated Stream webhook ended: ids, attempts and
// status only. Error texts are left out: they quote URLs.
func (sb *Sandbox) reportStream(d streamtest.WebhookDelivery) {
	ev := level(sb.log, d.Status, d.Err)
	ev.Str("simulator", "stream").Str("stream_message_id", d.MessageID).Str("webhook_id", d.WebhookID).
		Int("attempts", d.Attempts).Int("status", d.Status).Bool("network_error", d.Err != nil).
		Msg("simulated webhook")
}

// reportTwilio logs how a simulated Twilio webhook ended, the same way.
func (sb *Sandbox) reportTwilio(r twiliotest.WebhookResult) {
	ev := level(sb.log, r.HTTP, r.Err)
	ev.Str("simulator", "twilio").Str("kind", r.Kind).Str("sid", r.Sid).Str("message_status", r.Status).
		Int("attempts", r.Attempts).Int("status", r.HTTP).Bool("network_error", r.Err != nil).
		Msg("simulated webhook")
}

// level is debug for answered webhooks and warn for the others, so the
// terminal shows what went wrong and little else.
func level(log zerolog.Logger, status int, err error) *zerolog.Event {
	if err != nil || status >= 300 {
		return log.Warn()
	}
	return log.Debug()
}

// numberSet remembers the numbers the console's phones used, so they stay
// listed.
type numberSet struct {
	mu   sync.Mutex
	list []string
}

func (s *numberSet) add(n string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.list, n) {
		s.list = append(s.list, n)
	}
}

func (s *numberSet) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.list)
}
