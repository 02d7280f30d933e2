package streamhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/logsafe"
	"github.com/smsbridge/smsbridge/internal/metrics"
)

// OutboundRelay is what the webhook handler needs from the bridge.
type OutboundRelay interface {
	Relay(ctx context.Context, ev bridge.ChatEvent) (bridge.Outcome, error)
}

// Webhook handles POST /stream-outgoing-sms.
type Webhook struct {
	verifier *Verifier
	relay    OutboundRelay
	metrics  *metrics.Metrics
}

// NewWebhook returns the Stream webhook handler.
func NewWebhook(v *Verifier, r OutboundRelay, m *metrics.Metrics) *Webhook {
	return &Webhook{verifier: v, relay: r, metrics: m}
}

// Handle answers 200 {} for events that were relayed, refused for good or
// are not for the bridge; 401 for a bad signature; 503 when Twilio or Stream
// failed in a way a retry may fix.
func (h *Webhook) Handle(c echo.Context) error {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err // *http.MaxBytesError becomes 413
	}
	body, err := h.verifier.Verify(c.Request(), raw)
	if err != nil {
		return err
	}
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		return bridge.Errorf(bridge.ErrInvalid, "bad_json", "The webhook body is not a JSON event.")
	}
	ev := e.toBridge(attempt(c.Request()))
	log := zerolog.Ctx(c.Request().Context()).With().Str("stream_message_id", ev.Message.ID).
		Str("webhook_id", logsafe.ID(c.Request().Header.Get("X-Webhook-Id"))).Int("attempt", ev.Attempt).Logger()

	ctx, cancel := context.WithTimeout(c.Request().Context(), deadlines.ChatReply)
	defer cancel()
	outcome, err := h.relay.Relay(ctx, ev)
	if err != nil {
		h.metrics.Outbound("error")
		log.Warn().Err(err).Msg("chat reply not sent")
		return err
	}
	h.metrics.Outbound(string(outcome))
	if outcome != bridge.OutcomeIgnored {
		lvl := log.Info()
		if outcome == bridge.OutcomeSentUnmarked {
			lvl = log.Warn()
		}
		lvl.Str("outcome", string(outcome)).Msg("chat reply relayed")
	}
	return c.JSONBlob(http.StatusOK, []byte(`{}`))
}

// attempt reads X-Webhook-Attempt: 1 for a first delivery.
func attempt(r *http.Request) int {
	n, err := strconv.Atoi(r.Header.Get("X-Webhook-Attempt"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}
