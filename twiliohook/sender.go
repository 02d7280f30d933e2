package twiliohook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/netcause"
)

// Sender sends SMS through Twilio's Messages API with twilio-go.
type Sender struct {
	accountSID          string
	authToken           string
	from                string // used when no Messaging Service is set
	whatsAppFrom        string // whatsapp:+E164, From of WhatsApp messages without a Messaging Service
	messagingServiceSID string
	transport           http.RoundTripper
	metrics             *metrics.Metrics
}

var _ bridge.Sender = (*Sender)(nil)

// SenderOptions configure NewSender.
type SenderOptions struct {
	AccountSID, AuthToken string
	From                  string
	WhatsAppFrom          string // whatsapp:+E164: the sender of messages to whatsapp: addresses
	MessagingServiceSID   string // wins over From and WhatsAppFrom when set, for messages that name no sender
	BaseURL               string // https://api.twilio.com, or a regional endpoint or test fake
	Transport             http.RoundTripper
	Metrics               *metrics.Metrics
}

// NewSender returns a Sender. Every call shares o.Transport's connection
// pool, so steady traffic opens no new connections.
func NewSender(o SenderOptions) *Sender {
	return &Sender{
		accountSID:          o.AccountSID,
		authToken:           o.AuthToken,
		from:                o.From,
		whatsAppFrom:        o.WhatsAppFrom,
		messagingServiceSID: o.MessagingServiceSID,
		transport:           newTwilioTransport(o.BaseURL, o.Transport),
		metrics:             o.Metrics,
	}
}

// CanSchedule reports whether scheduled sends are possible: Twilio schedules
// only messages sent through a Messaging Service.
func (s *Sender) CanSchedule() bool { return s.messagingServiceSID != "" }

// Send creates the message. twilio-go takes no context, so each call gets a
// client whose transport carries ctx: cancelling ctx aborts the request.
func (s *Sender) Send(ctx context.Context, m bridge.OutboundMessage) (bridge.Receipt, error) {
	params, err := s.params(m)
	if err != nil {
		return bridge.Receipt{}, err
	}
	return s.create(ctx, params)
}

// params is the CreateMessage request for m. A WhatsApp address gets the
// WhatsApp sender; a template goes as ContentSid and ContentVariables, with
// no Body (Twilio fails a Body outside the 24-hour window with 63016).
func (s *Sender) params(m bridge.OutboundMessage) (*openapi.CreateMessageParams, error) {
	params := &openapi.CreateMessageParams{}
	params.SetTo(m.To.Raw())
	// An explicit sender (a location's number, the number the patient
	// texted) goes as From, with the location's Messaging Service beside it
	// when it has one (Twilio takes both); only a message that names
	// neither gets the configured defaults.
	switch {
	case m.From != "" || m.MessagingServiceSID != "":
		if m.MessagingServiceSID != "" {
			params.SetMessagingServiceSid(m.MessagingServiceSID)
		}
		if m.From != "" {
			params.SetFrom(m.From)
		}
	case s.messagingServiceSID != "":
		params.SetMessagingServiceSid(s.messagingServiceSID)
	case bridge.IsWhatsApp(m.To.Raw()):
		if s.whatsAppFrom == "" {
			return nil, bridge.Errorf(bridge.ErrInvalid, "no_whatsapp_sender",
				"No WhatsApp sender is configured: set TWILIO_WHATSAPP_FROM or a Messaging Service with a WhatsApp sender.")
		}
		params.SetFrom(s.whatsAppFrom)
	default:
		params.SetFrom(s.from)
	}
	if m.ContentSid != "" {
		vars, err := json.Marshal(m.ContentVariables)
		if err != nil {
			return nil, fmt.Errorf("encode content variables: %w", err)
		}
		params.SetContentSid(m.ContentSid)
		params.SetContentVariables(string(vars))
	} else if m.Body != "" {
		params.SetBody(m.Body)
	}
	if len(m.MediaURLs) > 0 {
		params.SetMediaUrl(m.MediaURLs)
	}
	if m.StatusCallback != "" {
		params.SetStatusCallback(m.StatusCallback)
	}
	if !m.SendAt.IsZero() {
		params.SetSendAt(m.SendAt.UTC())
		params.SetScheduleType("fixed")
	}
	return params, nil
}

func (s *Sender) create(ctx context.Context, params *openapi.CreateMessageParams) (bridge.Receipt, error) {
	api := openapi.NewApiServiceWithClient(s.client(ctx))
	start := time.Now()
	msg, err := api.CreateMessage(params)
	s.metrics.Upstream("twilio", "create_message", statusLabel(err), time.Since(start))
	if err != nil {
		return bridge.Receipt{}, classify(ctx, err)
	}
	r := bridge.Receipt{}
	if msg.Sid != nil {
		r.Sid = *msg.Sid
	}
	if msg.Status != nil {
		r.Status = *msg.Status
	}
	return r, nil
}

func (s *Sender) client(ctx context.Context) *client.Client {
	c := &client.Client{
		Credentials: client.NewCredentials(s.accountSID, s.authToken),
		HTTPClient: &http.Client{
			Transport:     ctxTransport{ctx: ctx, next: s.transport},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	c.SetAccountSid(s.accountSID)
	return c
}

// classify turns a twilio-go error into a bridge error. TwilioRestError's
// own text can quote the number, so only its status and code are kept.
func classify(ctx context.Context, err error) error {
	var te *client.TwilioRestError
	if errors.As(err, &te) {
		if te.Status == http.StatusTooManyRequests || te.Status >= 500 {
			return &transientError{status: te.Status, code: te.Code}
		}
		return &bridge.Refusal{Code: te.Code}
	}
	if ctx.Err() != nil {
		return &transientError{reason: "Twilio: timed out"}
	}
	return &transientError{reason: netcause.Of("Twilio", err)}
}

// transientError is a failure a retry may fix.
type transientError struct {
	status, code int
	reason       string
}

func (e *transientError) Error() string {
	if e.reason != "" {
		return "twilio create_message: " + e.reason
	}
	return "twilio create_message: status " + strconv.Itoa(e.status) + " code " + strconv.Itoa(e.code)
}
func (e *transientError) Unwrap() error { return bridge.ErrUnavailable }

// Cause says why the call failed, host and reason or status and code, for a
// batch row's reason (bridge.RowError).
func (e *transientError) Cause() string {
	if e.reason != "" {
		return e.reason
	}
	return "Twilio answered status " + strconv.Itoa(e.status) + " code " + strconv.Itoa(e.code)
}

func statusLabel(err error) string {
	var te *client.TwilioRestError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &te):
		return strconv.Itoa(te.Status)
	}
	return "network"
}
