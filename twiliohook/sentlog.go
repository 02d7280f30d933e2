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
// when comparing the chat message's creation time with Twilio's
// date_created (which Twilio also truncates to the second). It is kept
// small: an identical text sent a few seconds earlier (a second "OK") must
// not pass for this reply's earlier attempt.
const clockSkew = time.Second

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
	if m, ok := pickSent(page.Messages, body, since, start); ok {
		return bridge.Receipt{Sid: deref(m.Sid), Status: deref(m.Status)}, true, nil
	}
	return bridge.Receipt{}, false, nil
}

// pickSent chooses the earlier attempt's message among Twilio's newest: same
// text, created by the API between the first attempt (since) and this
// attempt (now), give or take clockSkew. Of several, the one created
// first at or after since wins: a later one is a newer reply's, and one
// from before since is an earlier reply's that only the skew lets in.
func pickSent(msgs []openapi.ApiV2010Message, body string, since, now time.Time) (openapi.ApiV2010Message, bool) {
	var best openapi.ApiV2010Message
	var bestAt time.Time
	found := false
	from, until := since.Truncate(time.Second).Add(-clockSkew), now.Add(clockSkew)
	for _, m := range msgs {
		if deref(m.Direction) != "outbound-api" || deref(m.Body) != body {
			continue
		}
		created, err := time.Parse(time.RFC1123Z, deref(m.DateCreated))
		if err != nil || created.Before(from) || created.After(until) {
			continue
		}
		if !found || better(created, bestAt, since) {
			best, bestAt, found = m, created, true
		}
	}
	return best, found
}

// better reports whether a message created at a is likelier this reply's
// than one created at b: one at or after the first attempt beats one
// before it, and among those the earlier wins.
func better(a, b, since time.Time) bool {
	first := since.Truncate(time.Second)
	aAfter, bAfter := !a.Before(first), !b.Before(first)
	if aAfter != bAfter {
		return aAfter
	}
	if aAfter {
		return a.Before(b)
	}
	return a.After(b)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
