package twiliohook

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// StatusRelay is what the status-callback handler needs from the bridge.
type StatusRelay interface {
	Update(ctx context.Context, u bridge.StatusUpdate) (bridge.Outcome, error)
}

// Status handles POST /twilio-status, Twilio's message status callback.
type Status struct {
	verifier *Verifier
	relay    StatusRelay
}

// NewStatus returns the status-callback handler.
func NewStatus(v *Verifier, r StatusRelay) *Status {
	return &Status{verifier: v, relay: r}
}

// Handle writes the status onto the chat message named by the signed URL's
// mid parameter. Unknown messages and stale statuses are ignored with 200;
// a chat failure answers 503 so Twilio retries.
func (h *Status) Handle(c echo.Context) error {
	form, err := verifiedForm(c, h.verifier)
	if err != nil {
		return err
	}
	code, _ := strconv.Atoi(form.Get("ErrorCode"))
	u := bridge.StatusUpdate{
		MessageID: c.QueryParam("mid"),
		Sid:       form.Get("MessageSid"),
		Status:    form.Get("MessageStatus"),
		ErrorCode: code,
	}
	log := zerolog.Ctx(c.Request().Context()).With().Str("message_sid", u.Sid).
		Str("stream_message_id", u.MessageID).Str("status", u.Status).Logger()
	ctx, cancel := context.WithTimeout(c.Request().Context(), deadlines.StatusCallback)
	defer cancel()
	outcome, err := h.relay.Update(ctx, u)
	if err != nil {
		log.Warn().Err(err).Msg("status not recorded")
		return err
	}
	log.Info().Str("outcome", string(outcome)).Int("error_code", code).Msg("status callback")
	return c.NoContent(http.StatusOK)
}
