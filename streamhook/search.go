package streamhook

import (
	"context"
	"fmt"
	"slices"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
)

var _ bridge.ReconcileChat = (*Chat)(nil)

// maxSearchPages bounds how many result pages one FindBySID follows. A sid
// names one chat message, so a batch of bridge.MaxFindBatch sids fits one
// page of 100; the bound guards against a cursor that never ends, and
// reaching it is an error, never a silently short answer.
const maxSearchPages = 10

// FindBySID finds the messages of the given patient channels whose sms_sid
// is one of sids, with Stream's message search. The channel filter names the
// channels by cid because Stream searches at most 500 channels per call;
// naming them keeps the search to the few that matter.
func (c *Chat) FindBySID(ctx context.Context, channelIDs, sids []string) ([]bridge.ChatMessage, error) {
	if len(channelIDs) == 0 || len(sids) == 0 {
		return nil, nil
	}
	cids := make([]string, len(channelIDs))
	for i, id := range channelIDs {
		cids[i] = c.channelType + ":" + id
	}
	req := stream.SearchRequest{
		Filters:        map[string]any{"cid": map[string]any{"$in": cids}},
		MessageFilters: map[string]any{bridge.FieldSID: map[string]any{"$in": sids}},
		Limit:          bridge.MaxFindBatch,
	}
	return c.search(ctx, req)
}

// FindPending finds the messages of the SMS channels created from since
// until before whose sms_status is "pending". The channels are those with a
// message since then (last_message_at), which keeps the search within
// Stream's 500 channels for any clinic that is not very busy.
func (c *Chat) FindPending(ctx context.Context, since, before time.Time) ([]bridge.ChatMessage, error) {
	req := stream.SearchRequest{
		Filters: map[string]any{"type": c.channelType,
			"last_message_at": map[string]any{"$gte": since.UTC().Format(time.RFC3339)}},
		MessageFilters: map[string]any{bridge.FieldStatus: bridge.StatusPending,
			"created_at": map[string]any{"$gte": since.UTC().Format(time.RFC3339), "$lt": before.UTC().Format(time.RFC3339)}},
		Limit: bridge.MaxFindBatch,
	}
	return c.search(ctx, req)
}

// search follows req's result pages, up to maxSearchPages.
func (c *Chat) search(ctx context.Context, req stream.SearchRequest) ([]bridge.ChatMessage, error) {
	var out []bridge.ChatMessage
	for range maxSearchPages {
		var resp *stream.SearchFullResponse
		err := c.call(ctx, "search", func(ctx context.Context) (err error) {
			resp, err = c.client.SearchWithFullResponse(ctx, req)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, r := range resp.Results {
			if r.Message != nil {
				out = append(out, fromStreamMessage(r.Message))
			}
		}
		if resp.Next == "" {
			return out, nil
		}
		req.Next = resp.Next
	}
	return nil, fmt.Errorf("stream search: more than %d pages of results: %w", maxSearchPages, bridge.ErrUpstream)
}

var _ bridge.ReplyChat = (*Chat)(nil)

// RecentReminders returns up to n of a channel's reminders, newest first,
// with one message search: the channel by cid, the messages by their
// sms_origin mark. Only keyword replies call it (bridge.Replies), so the
// ordinary inbound path keeps its single call.
func (c *Chat) RecentReminders(ctx context.Context, channelID string, n int) ([]bridge.ChatMessage, error) {
	req := stream.SearchRequest{
		Filters:        map[string]any{"cid": c.channelType + ":" + channelID},
		MessageFilters: map[string]any{bridge.FieldOrigin: bridge.OriginReminder},
		Sort:           []stream.SortOption{{Field: "created_at", Direction: -1}},
		Limit:          n,
	}
	var resp *stream.SearchFullResponse
	err := c.call(ctx, "search", func(ctx context.Context) (err error) {
		resp, err = c.client.SearchWithFullResponse(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]bridge.ChatMessage, 0, len(resp.Results))
	for _, r := range resp.Results {
		if r.Message != nil {
			m := fromStreamMessage(r.Message)
			m.ChannelID = channelID
			out = append(out, m)
		}
	}
	return out, nil
}

var _ bridge.BatchChat = (*Chat)(nil)

// FindReminder finds the channel's reminder carrying one of a batch row's
// keys, with one message search ($in for several: a row's key and its key
// of an earlier version). Of several, the one with the earliest of keys is
// returned. A channel that does not exist yet simply has no results.
func (c *Chat) FindReminder(ctx context.Context, channelID string, keys ...string) (bridge.ChatMessage, bool, error) {
	if len(keys) == 0 {
		return bridge.ChatMessage{}, false, nil
	}
	var match any = keys[0]
	if len(keys) > 1 {
		match = map[string]any{"$in": keys}
	}
	req := stream.SearchRequest{
		Filters:        map[string]any{"cid": c.channelType + ":" + channelID},
		MessageFilters: map[string]any{bridge.FieldReminderKey: match},
		Limit:          len(keys),
	}
	var resp *stream.SearchFullResponse
	err := c.call(ctx, "search", func(ctx context.Context) (err error) {
		resp, err = c.client.SearchWithFullResponse(ctx, req)
		return err
	})
	if err != nil {
		return bridge.ChatMessage{}, false, err
	}
	best, found := bridge.ChatMessage{}, len(keys)
	for _, r := range resp.Results {
		if r.Message == nil {
			continue
		}
		m := fromStreamMessage(r.Message)
		if i := slices.Index(keys, fmt.Sprint(m.Fields[bridge.FieldReminderKey])); i >= 0 && i < found {
			best, found = m, i
		}
	}
	if found == len(keys) {
		return bridge.ChatMessage{}, false, nil
	}
	best.ChannelID = channelID
	return best, true, nil
}
