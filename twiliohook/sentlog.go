package twiliohook

import (
	"context"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/bridge"
)

var _ bridge.SentLog = (*Sender)(nil)

// sentLogPage is how many of the newest messages to a number are searched.
// A retry follows its first attempt within seconds (Stream retries for at
// most 15 s), so the message, if sent, is among the newest few.
const sentLogPage = 20

// clockSkew allows for Stream's and Twilio's clocks to disagree a little
// when comparing the chat message's creation time with Twilio's.
const clockSkew = 5 * time.Second

// FindSent looks through the newest messages Twilio holds for to: one
// created by this account's API (direction outbound-api) with this body, no
// earlier than since, is the one an earlier attempt sent.
func (s *Sender) FindSent(ctx context.Context, to bridge.Phone, body string, since time.Time) (bridge.Receipt, bool, error) {
	params := &openapi.ListMessageParams{}
	params.SetTo(to.Raw())
	params.SetPageSize(sentLogPage)
	api := openapi.NewApiServiceWithClient(s.client(ctx))
	start := time.Now()
	page, err := api.PageMessage(params, "", "")
	s.metrics.Upstream("twilio", "list_messages", statusLabel(err), time.Since(start))
	if err != nil {
		return bridge.Receipt{}, false, classify(ctx, err)
	}
	for _, m := range page.Messages {
		if sentMatch(m, body, since) {
			return bridge.Receipt{Sid: deref(m.Sid), Status: deref(m.Status)}, true, nil
		}
	}
	return bridge.Receipt{}, false, nil
}

func sentMatch(m openapi.ApiV2010Message, body string, since time.Time) bool {
	if deref(m.Direction) != "outbound-api" || deref(m.Body) != body {
		return false
	}
	created, err := time.Parse(time.RFC1123Z, deref(m.DateCreated))
	return err == nil && !created.Before(since.Add(-clockSkew))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
