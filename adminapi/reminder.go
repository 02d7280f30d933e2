package adminapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// ReminderRequest is the body of POST /send-reminder (docs/contract.md
// §4.5): the text is MessageText, or Template filled with Params
// (templates.Set.Resolve).
type ReminderRequest struct {
	PhoneNumber string            `json:"phoneNumber"`
	MessageText string            `json:"messageText"`
	Template    string            `json:"template"`
	Params      map[string]string `json:"params"`
	SendAt      string            `json:"sendAt"` // RFC 3339; empty: now
	// WhenAllowed schedules an immediate reminder that falls inside quiet
	// hours for their end instead of refusing it.
	WhenAllowed bool `json:"whenAllowed"`
	// Medium is "sms" (the default) or "whatsapp" (docs/whatsapp.md).
	Medium string `json:"medium"`
	// Location is the id of the location it is sent for (docs/locations.md);
	// empty: the admin's only location, or else the first of theirs.
	Location string `json:"location"`
}

// reminderResponse keeps the tutorial's "sent" and says what was sent where.
type reminderResponse struct {
	Sent      bool   `json:"sent"`
	Sid       string `json:"sid"`
	Status    string `json:"status"`
	To        string `json:"to"`
	ChannelID string `json:"channelId"`
	// Segments and Encoding are what the text costs (package segments);
	// Medium says where it went (WhatsApp is one message, "whatsapp").
	Segments int    `json:"segments"`
	Encoding string `json:"encoding"`
	Medium   string `json:"medium"`
	// Location is the id of the location it went from.
	Location string `json:"location,omitempty"`
	// SendAt is when a scheduled reminder goes out (RFC 3339, UTC): the
	// requested sendAt, or the end of quiet hours with whenAllowed.
	SendAt string `json:"sendAt,omitempty"`
}

// answer is the 200 answer for the reminder rem as res says it was sent.
func answer(rem bridge.Reminder, res bridge.ReminderResult) reminderResponse {
	cost := costOf(rem.Text, bridge.MediumOf(rem.To.Raw()))
	out := reminderResponse{Sent: true, Sid: res.Sid, Status: res.Status, To: rem.To.Raw(), ChannelID: res.ChannelID,
		Segments: cost.Segments, Encoding: cost.Encoding, Medium: cost.Medium, Location: res.Location}
	if !res.SendAt.IsZero() {
		out.SendAt = res.SendAt.UTC().Format(time.RFC3339)
	}
	return out
}

// SendReminder handles POST /send-reminder (docs/contract.md §4.5). It runs
// behind RequireAdmin; the reminder is posted by the authenticated admin,
// within their allowance (pace).
func (a *API) SendReminder(c echo.Context) error {
	if err := a.pace(c, a.reminderLimit); err != nil {
		return err
	}
	var req ReminderRequest
	if err := decodeText(c, &req); err != nil {
		return err
	}
	admin := adminID(c)
	rem, err := a.Reminder(admin, req)
	if err != nil {
		return err
	}
	k, err := a.idempotencyOf(c, admin, req)
	if err != nil || k == nil {
		if err != nil {
			return err
		}
		return a.send(c, rem, nil)
	}
	ctx := c.Request().Context()
	if done, err := a.replay(ctx, c, k, rem); done || err != nil {
		return err
	}
	release, err := a.claim(ctx, k)
	if err != nil {
		return err
	}
	defer release()
	// The first request may have finished between the look and the claim.
	if done, err := a.replay(ctx, c, k, rem); done || err != nil {
		return err
	}
	return a.send(c, rem, k)
}

// Reminder turns a request into the reminder admin sends: the number read
// in DEFAULT_REGION, the text typed or filled from a template, the send
// time. It is the one translation every reminder path uses (the API and a
// batch), so a request means the same wherever it comes from.
func (a *API) Reminder(admin string, req ReminderRequest) (bridge.Reminder, error) {
	to, err := bridge.ParsePhone(req.PhoneNumber, a.region)
	if err != nil {
		return bridge.Reminder{}, err
	}
	text, err := a.templates.Resolve(req.MessageText, req.Template, req.Params)
	if err != nil {
		return bridge.Reminder{}, err
	}
	sendAt, err := parseSendAt(req.SendAt)
	if err != nil {
		return bridge.Reminder{}, err
	}
	rem := bridge.Reminder{AdminID: admin, To: to, Text: text, SendAt: sendAt, WhenAllowed: req.WhenAllowed,
		Location: req.Location}
	if len(a.locations) > 0 {
		// Checked before anything is claimed or sent (the bridge's rule,
		// which Send applies again).
		loc, err := a.locations.For(admin, req.Location)
		if err != nil {
			return bridge.Reminder{}, err
		}
		rem.Location = loc.ID
	}
	return a.onMedium(rem, req)
}

// send sends rem and answers; with an Idempotency-Key it stores the answer.
func (a *API) send(c echo.Context, rem bridge.Reminder, k *idempotency) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), deadlines.Reminder)
	defer cancel()
	res, err := a.reminders.Send(ctx, rem)
	a.record(ctx, rem.AdminID, res, err)
	if k != nil {
		a.remember(ctx, k, res, err)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, answer(rem, res))
}

func parseSendAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, bridge.Errorf(bridge.ErrInvalid, "invalid_send_at",
			"sendAt must be an RFC 3339 time such as 2030-05-06T09:30:00-04:00.")
	}
	return t, nil
}

// record logs and counts a reminder: ids, sid, the redacted number and the
// outcome, never the text.
func (a *API) record(ctx context.Context, admin string, res bridge.ReminderResult, err error) {
	log := zerolog.Ctx(ctx).With().Str("admin_id", admin).Str("stream_message_id", res.MessageID).
		Str("message_sid", res.Sid).Stringer("to", res.To).Logger()
	switch {
	case res.Outcome != "":
		a.metrics.Outbound(string(res.Outcome))
	case errors.Is(err, bridge.ErrUnavailable), errors.Is(err, bridge.ErrUpstream):
		a.metrics.Outbound("error")
	}
	if res.MarkErr != nil {
		log.Warn().Err(res.MarkErr).Msg("reminder result not written to the chat")
	}
	if err != nil {
		ev := log.Warn().Err(err).Str("outcome", string(res.Outcome))
		if be := (*bridge.Error)(nil); errors.As(err, &be) {
			ev = ev.Str("code", be.Code) // ours or Twilio's number, never PHI
		}
		ev.Msg("reminder not sent")
		return
	}
	log.Info().Str("outcome", string(res.Outcome)).Str("status", res.Status).Msg("reminder sent")
}
