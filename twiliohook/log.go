package twiliohook

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/netcause"
)

// Log reads the clinic's messages back from Twilio's message log, for
// `smsbridge reconcile`. It shares the Sender's credentials and transport,
// so TWILIO_API_BASE_URL applies to it too.
type Log struct {
	s        *Sender
	senders  ClinicSenders
	pageSize int
}

// ClinicSenders are the clinic's senders, whose messages the log keeps:
// every number and Messaging Service of every location. The account may
// hold other applications' numbers; their messages are left alone.
type ClinicSenders struct {
	Numbers  []string // E.164, or whatsapp:+E164 for the WhatsApp sender
	Services []string // Messaging Service sids
}

var _ bridge.SMSLog = (*Log)(nil)

// Twilio allows up to 1000 messages per list page; fewer pages, fewer calls.
const (
	defaultLogPageSize = 1000
	maxLogPageSize     = 1000
)

// NewLog returns a Log of senders' messages with Twilio's largest page
// size, or pageSize when it is between 1 and 1000.
func NewLog(o SenderOptions, senders ClinicSenders, pageSize int) *Log {
	if pageSize <= 0 || pageSize > maxLogPageSize {
		pageSize = defaultLogPageSize
	}
	return &Log{s: NewSender(o), senders: senders, pageSize: pageSize}
}

// Messages lists the messages sent since then with twilio-go, which follows
// the pages, and keeps the clinic's: inbound ones sent to one of its numbers
// (SMS or WhatsApp) or to a number of one of its Messaging Services (Twilio records the
// service on messages its numbers receive), outbound ones sent from one of
// the numbers or through one of the services. One listing covers every
// location. Messages not sent yet have no date and are not listed.
// They come oldest first; Twilio's dates have whole seconds, so this keeps the
// order of messages sent within one second.
func (l *Log) Messages(ctx context.Context, since time.Time) ([]bridge.LoggedSMS, error) {
	params := (&openapi.ListMessageParams{}).SetDateSentAfter(since.UTC()).SetPageSize(l.pageSize)
	start := time.Now()
	msgs, err := openapi.NewApiServiceWithClient(l.client(ctx)).ListMessage(params)
	l.s.metrics.Upstream("twilio", "list_messages", statusLabel(err), time.Since(start))
	if err != nil {
		return nil, logError(ctx, "list_messages", err)
	}
	var out []bridge.LoggedSMS
	for _, m := range slices.Backward(msgs) { // Twilio lists newest first
		if sms, ok := l.clinics(m); ok {
			out = append(out, sms)
		}
	}
	return out, nil
}

// clinics converts m when it is one of the clinic's messages.
func (l *Log) clinics(m openapi.ApiV2010Message) (bridge.LoggedSMS, bool) {
	direction, to, from, service := optStr(m.Direction), optStr(m.To), optStr(m.From), optStr(m.MessagingServiceSid)
	viaService := service != "" && slices.Contains(l.senders.Services, service)
	sms := bridge.LoggedSMS{Sid: optStr(m.Sid), Status: optStr(m.Status), Body: optStr(m.Body)}
	if viaService {
		sms.ServiceSID = service
	}
	switch {
	case direction == "inbound" && (viaService || l.ours(to)):
		sms.Inbound, sms.Patient, sms.Clinic = true, bridge.SenderPhone(from), to
	case strings.HasPrefix(direction, "outbound") && (viaService || l.ours(from)):
		sms.Patient, sms.Clinic, sms.Body = bridge.SenderPhone(to), from, ""
	default:
		return bridge.LoggedSMS{}, false
	}
	sms.NumMedia, _ = strconv.Atoi(optStr(m.NumMedia))
	if m.ErrorCode != nil {
		sms.ErrorCode = *m.ErrorCode
	}
	sms.SentAt, _ = time.Parse(time.RFC1123Z, optStr(m.DateSent))
	return sms, true
}

// ours reports whether address is one of the clinic's numbers (SMS or WhatsApp).
func (l *Log) ours(address string) bool {
	return address != "" && slices.Contains(l.senders.Numbers, address)
}

// Media lists an inbound message's media and names each by the URL Twilio
// puts in the inbound webhook (MediaUrlN), with its content type
// (MediaContentTypeN), so a restored message's attachments are the ones the
// webhook would have posted.
func (l *Log) Media(ctx context.Context, sid string) ([]bridge.Media, error) {
	start := time.Now()
	list, err := openapi.NewApiServiceWithClient(l.client(ctx)).ListMedia(sid, nil)
	l.s.metrics.Upstream("twilio", "list_media", statusLabel(err), time.Since(start))
	if err != nil {
		return nil, logError(ctx, "list_media", err)
	}
	out := make([]bridge.Media, 0, len(list))
	for _, m := range list {
		out = append(out, bridge.Media{URL: MediaURL(l.s.accountSID, sid, optStr(m.Sid)), ContentType: optStr(m.ContentType)})
	}
	return out, nil
}

// MediaURL is the URL of a message's media as Twilio's inbound webhook
// gives it. It always names api.twilio.com, whatever TWILIO_API_BASE_URL
// says, because that is what the webhook carries.
func MediaURL(accountSID, messageSid, mediaSid string) string {
	return "https://api.twilio.com/2010-04-01/Accounts/" + accountSID + "/Messages/" + messageSid + "/Media/" + mediaSid
}

// client is the Sender's client with a per-request timeout: a list follows
// many pages, and each must answer in time.
func (l *Log) client(ctx context.Context) *client.Client {
	c := l.s.client(ctx)
	c.HTTPClient.Timeout = deadlines.TwilioLogPage // per page: twilio-go asks for each
	return c
}

// logError keeps only the status and code of a failed read: Twilio's own
// message text can quote a number.
func logError(ctx context.Context, op string, err error) error {
	var te *client.TwilioRestError
	if errors.As(err, &te) {
		kind := bridge.ErrUpstream
		if te.Status == http.StatusTooManyRequests || te.Status >= 500 {
			kind = bridge.ErrUnavailable
		}
		return &bridge.Error{Kind: kind, Code: strconv.Itoa(te.Code),
			Message: "twilio " + op + ": status " + strconv.Itoa(te.Status) + " code " + strconv.Itoa(te.Code)}
	}
	reason := "no answer (" + netcause.Of("Twilio", err) + ")"
	if ctx.Err() != nil {
		reason = "timed out"
	}
	return &bridge.Error{Kind: bridge.ErrUnavailable, Code: "unavailable", Message: "twilio " + op + ": " + reason}
}

// optStr reads an optional string of twilio-go's models.
func optStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
