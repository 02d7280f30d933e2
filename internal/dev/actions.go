package dev

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// actionBudget bounds what one console action waits for: a text's webhook
// with Twilio's retries, or a post into the chat.
const actionBudget = 30 * time.Second

// textRequest is the patient phone's "send".
type textRequest struct {
	From string `json:"from"`
	To   string `json:"to"` // the clinic number texted; empty: the first location's
	Body string `json:"body"`
}

// text sends an SMS from a patient phone to the clinic: Twilio's part
// (recording it, posting the signed webhook with retries) is the
// simulator's. The answer says how the bridge took it.
func (sb *Sandbox) text(r *http.Request) (any, error) {
	var req textRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	from, err := patientAddress(req.From, sb.cfg.DefaultRegion)
	if err != nil {
		return nil, err
	}
	for _, c := range clinics {
		if from.Raw() == c.Number {
			return nil, bridge.Errorf(bridge.ErrInvalid, "invalid_phone", "That is the clinic's own number; pick a patient's.")
		}
	}
	to, err := clinicFor(req.To)
	if err != nil {
		return nil, err
	}
	if err := checkText(req.Body); err != nil {
		return nil, err
	}
	sb.texted.add(from.Raw())
	// The phone's text goes out even if the page goes away meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), actionBudget)
	defer cancel()
	var sid string
	var res twiliotest.WebhookResult
	channelID := from.ChannelID()
	if strings.HasPrefix(from.Raw(), "whatsapp:") || to.Number == clinicNumber {
		// WhatsApp phones text the one WhatsApp sender, north's.
		sid, res = sb.network.Text(ctx, from.Raw(), req.Body)
	} else {
		sid, res = sb.network.TextTo(ctx, from.Raw(), to.Number, req.Body)
		channelID = consoleLocations.ChannelID(to.Location, from)
	}
	return map[string]any{"from": from.Raw(), "to": to.Number, "channelId": channelID, "sid": sid,
		"webhookStatus": res.HTTP, "attempts": res.Attempts}, nil
}

// patientAddress reads the phone's number, or a WhatsApp address
// ("whatsapp:" and a number): the simulated Twilio delivers a WhatsApp
// phone's texts as WhatsApp messages.
func patientAddress(input, region string) (bridge.Phone, error) {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(input), "whatsapp:"); ok {
		n, err := bridge.ParsePhone(rest, region)
		return bridge.WhatsAppAddress(n), err
	}
	return bridge.ParsePhone(input, region)
}

// replyRequest is the admin's reply box.
type replyRequest struct {
	ChannelID string `json:"channelId"`
	Text      string `json:"text"`
}

// reply posts the admin's message into the simulated Stream, as the
// dashboard would; Stream's webhook then brings it to the bridge.
func (sb *Sandbox) reply(r *http.Request) (any, error) {
	var req replyRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Text) == "" {
		return nil, bridge.Errorf(bridge.ErrInvalid, "empty_text", "Write a message first.")
	}
	if _, ok := sb.stream.Channel(sb.cfg.SMSChannelType, req.ChannelID); !ok {
		return nil, bridge.Errorf(bridge.ErrNotFound, "no_channel", "There is no such patient channel.")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), actionBudget)
	defer cancel()
	resp, err := sb.chat.Channel(sb.cfg.SMSChannelType, req.ChannelID).
		SendMessage(ctx, &stream.Message{Text: req.Text}, adminID)
	if err != nil {
		return nil, bridge.Errorf(bridge.ErrUnavailable, "chat_refused", "The simulated chat did not take the message.")
	}
	return map[string]any{"messageId": resp.Message.ID}, nil
}

// sendScheduled skips ahead in time: the simulated Twilio sends every
// scheduled message now, as it would at its SendAt, with the status
// callbacks that follow.
func (sb *Sandbox) sendScheduled(*http.Request) (any, error) {
	return map[string]any{"sent": sb.network.SendScheduledNow()}, nil
}

// checkText refuses what no phone sends: nothing, or more than one SMS
// conversation's worth (Twilio's 1600 characters).
func checkText(body string) error {
	switch {
	case strings.TrimSpace(body) == "":
		return bridge.Errorf(bridge.ErrInvalid, "empty_text", "Write a message first.")
	case utf8.RuneCountInString(body) > bridge.MaxTextLength:
		return bridge.Errorf(bridge.ErrInvalid, "too_long", "A text message holds at most %d characters.", bridge.MaxTextLength)
	}
	return nil
}
