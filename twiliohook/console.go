package twiliohook

import (
	"context"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"
	senders "github.com/twilio/twilio-go/rest/messaging/v2"

	"github.com/smsbridge/smsbridge/internal/doctor"
)

// Console reads and changes the account's number and Messaging Service
// settings for `smsbridge doctor`, with twilio-go. Its errors keep only
// Twilio's status and code (logError): Twilio's text can quote a number.
type Console struct{ s *Sender }

var _ doctor.Twilio = (*Console)(nil)

// NewConsole returns a Console on o's account and connection settings.
func NewConsole(o SenderOptions) *Console { return &Console{s: NewSender(o)} }

// maxAccountNumbers bounds Numbers: twilio-go follows the pages up to it.
// A clinic's account holds a handful.
const maxAccountNumbers = 1000

// Numbers lists every number of the account (ListIncomingPhoneNumber,
// following the pages).
func (c *Console) Numbers(ctx context.Context) ([]doctor.Number, error) {
	api := openapi.NewApiServiceWithClient(c.s.client(ctx))
	list, err := api.ListIncomingPhoneNumber(new(openapi.ListIncomingPhoneNumberParams).SetPageSize(50).SetLimit(maxAccountNumbers))
	if err != nil {
		return nil, logError(ctx, "list numbers", err)
	}
	out := make([]doctor.Number, 0, len(list))
	for _, n := range list {
		out = append(out, number(n))
	}
	return out, nil
}

// Number finds phone among the account's numbers (ListIncomingPhoneNumber
// filtered by the number).
func (c *Console) Number(ctx context.Context, phone string) (doctor.Number, bool, error) {
	api := openapi.NewApiServiceWithClient(c.s.client(ctx))
	list, err := api.ListIncomingPhoneNumber(new(openapi.ListIncomingPhoneNumberParams).SetPhoneNumber(phone).SetPageSize(20).SetLimit(20))
	if err != nil {
		return doctor.Number{}, false, logError(ctx, "list numbers", err)
	}
	for _, n := range list {
		if optStr(n.PhoneNumber) == phone {
			return number(n), true, nil
		}
	}
	return doctor.Number{}, false, nil
}

func number(n openapi.ApiV2010IncomingPhoneNumber) doctor.Number {
	return doctor.Number{
		Sid: optStr(n.Sid), Phone: optStr(n.PhoneNumber), SMS: n.Capabilities != nil && n.Capabilities.Sms,
		SmsURL: optStr(n.SmsUrl), SmsMethod: optStr(n.SmsMethod), FallbackURL: optStr(n.SmsFallbackUrl),
	}
}

// SetNumberWebhook sets the number's SmsUrl and SmsMethod.
func (c *Console) SetNumberWebhook(ctx context.Context, sid, url, method string) error {
	api := openapi.NewApiServiceWithClient(c.s.client(ctx))
	_, err := api.UpdateIncomingPhoneNumber(sid, new(openapi.UpdateIncomingPhoneNumberParams).SetSmsUrl(url).SetSmsMethod(method))
	if err != nil {
		return logError(ctx, "update number", err)
	}
	return nil
}

// Service reads the Messaging Service's inbound settings.
func (c *Console) Service(ctx context.Context, sid string) (doctor.Service, error) {
	svc, err := messaging.NewApiServiceWithClient(c.s.client(ctx)).FetchService(sid)
	if err != nil {
		return doctor.Service{}, logError(ctx, "fetch messaging service", err)
	}
	return doctor.Service{Sid: optStr(svc.Sid), InboundURL: optStr(svc.InboundRequestUrl), InboundMethod: optStr(svc.InboundMethod),
		FallbackURL:      optStr(svc.FallbackUrl),
		UseNumberWebhook: svc.UseInboundWebhookOnNumber != nil && *svc.UseInboundWebhookOnNumber}, nil
}

// ServiceNumbers lists the numbers in the service's sender pool.
func (c *Console) ServiceNumbers(ctx context.Context, sid string) ([]string, error) {
	list, err := messaging.NewApiServiceWithClient(c.s.client(ctx)).
		ListPhoneNumber(sid, new(messaging.ListPhoneNumberParams).SetPageSize(50).SetLimit(400))
	if err != nil {
		return nil, logError(ctx, "list messaging service numbers", err)
	}
	out := make([]string, 0, len(list))
	for _, n := range list {
		out = append(out, optStr(n.PhoneNumber))
	}
	return out, nil
}

// SetServiceInbound sets the service's inbound request URL and method.
func (c *Console) SetServiceInbound(ctx context.Context, sid, url, method string) error {
	_, err := messaging.NewApiServiceWithClient(c.s.client(ctx)).
		UpdateService(sid, new(messaging.UpdateServiceParams).SetInboundRequestUrl(url).SetInboundMethod(method))
	if err != nil {
		return logError(ctx, "update messaging service", err)
	}
	return nil
}

// WhatsAppSender finds senderID among the account's WhatsApp senders
// (Messaging v2 ListChannelsSender, Channel=whatsapp).
func (c *Console) WhatsAppSender(ctx context.Context, senderID string) (doctor.WhatsAppSender, bool, error) {
	list, err := senders.NewApiServiceWithClient(c.s.client(ctx)).
		ListChannelsSender(new(senders.ListChannelsSenderParams).SetChannel("whatsapp").SetPageSize(50).SetLimit(400))
	if err != nil {
		return doctor.WhatsAppSender{}, false, logError(ctx, "list whatsapp senders", err)
	}
	for _, s := range list {
		if optStr(s.SenderId) != senderID {
			continue
		}
		out := doctor.WhatsAppSender{Sid: optStr(s.Sid), SenderID: senderID}
		if w := s.Webhook; w != nil {
			out.CallbackURL, out.CallbackMethod, out.FallbackURL = optStr(w.CallbackUrl), optStr(w.CallbackMethod), optStr(w.FallbackUrl)
		}
		return out, true, nil
	}
	return doctor.WhatsAppSender{}, false, nil
}
