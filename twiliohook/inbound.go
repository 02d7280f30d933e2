package twiliohook

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/metrics"
)

// InboundRelay is what the inbound handler needs from the bridge.
type InboundRelay interface {
	Relay(ctx context.Context, sms bridge.InboundSMS) (bridge.InboundResult, error)
}

// emptyTwiML tells Twilio the message was taken and nothing is to be sent back.
var emptyTwiML = []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)

// maxMedia bounds NumMedia; Twilio delivers at most 10 media per message.
const maxMedia = 10

// Inbound handles POST /receive-sms.
type Inbound struct {
	verifier *Verifier
	relay    InboundRelay
	metrics  *metrics.Metrics
}

// NewInbound returns the inbound-message webhook handler.
func NewInbound(v *Verifier, r InboundRelay, m *metrics.Metrics) *Inbound {
	return &Inbound{verifier: v, relay: r, metrics: m}
}

// Handle answers 200 with empty TwiML once the SMS is stored (or was stored
// by an earlier delivery), 403 for a bad signature, 400 for a signed but
// unusable form and 503 when the chat service failed, so Twilio redelivers.
func (h *Inbound) Handle(c echo.Context) error {
	form, err := verifiedForm(c, h.verifier)
	if err != nil {
		return err
	}
	sms := decodeInbound(form)
	log := zerolog.Ctx(c.Request().Context()).With().Str("message_sid", sms.MessageSid).
		Stringer("from", sms.From).Logger()
	ctx, cancel := context.WithTimeout(c.Request().Context(), deadlines.InboundMessage)
	defer cancel()
	res, err := h.relay.Relay(ctx, sms)
	if err != nil {
		h.metrics.Inbound("error", "unknown")
		log.Warn().Err(err).Msg("inbound sms not relayed")
		return err
	}
	h.metrics.Inbound(string(res.Outcome), res.Location)
	if res.Unlisted {
		// A clinic number is not PHI; the patient's stays redacted.
		h.metrics.Unlisted(res.Location)
		log.Warn().Str("to", sms.To).Str("location", res.Location).
			Msg("inbound message to a number no location lists: stored in the first location; add it to LOCATIONS_FILE")
	}
	ev := log.Info().Str("outcome", string(res.Outcome)).Str("location", res.Location).Int("media", len(sms.Media))
	if res.OptedOut != nil {
		ev = ev.Bool("opted_out", *res.OptedOut)
	}
	if res.Reply != "" {
		ev = ev.Str("reply", res.Reply)
	}
	ev.Msg("inbound sms relayed")
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", emptyTwiML)
}

// verifiedForm reads the capped body, checks its signature and only then
// parses it. It is shared by every Twilio webhook.
func verifiedForm(c echo.Context, v *Verifier) (url.Values, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err // *http.MaxBytesError becomes 413
	}
	form, ok := v.VerifyForm(c.Request(), body)
	if !ok {
		return nil, bridge.Errorf(bridge.ErrForbidden, "bad_signature", "The Twilio signature is missing or does not match.")
	}
	if form == nil {
		return nil, bridge.Errorf(bridge.ErrInvalid, "bad_form", "The webhook body is not a valid form.")
	}
	return form, nil
}

// decodeInbound keeps only the fields the bridge uses.
func decodeInbound(f url.Values) bridge.InboundSMS {
	sms := bridge.InboundSMS{
		MessageSid: f.Get("MessageSid"),
		From:       bridge.SenderPhone(f.Get("From")),
		To:         f.Get("To"),
		// It names the location when To is in no list (a service's number).
		MessagingServiceSid: f.Get("MessagingServiceSid"),
		Body:                f.Get("Body"),
		OptOutType:          f.Get("OptOutType"),
		// WhatsApp's extras (docs/whatsapp.md).
		ProfileName:   f.Get("ProfileName"),
		ButtonPayload: f.Get("ButtonPayload"),
		ButtonText:    f.Get("ButtonText"),
	}
	n, _ := strconv.Atoi(f.Get("NumMedia"))
	for i := 0; i < n && i < maxMedia; i++ {
		idx := strconv.Itoa(i)
		if u := f.Get("MediaUrl" + idx); u != "" {
			sms.Media = append(sms.Media, bridge.Media{URL: u, ContentType: f.Get("MediaContentType" + idx)})
		}
	}
	return sms
}
