package streamtest

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

// seedMarked stores outbound replies carrying sms_sid in two patient channels and one
// message in another channel type.
func seedMarked(srv *Server) {
	for i, sid := range []string{"SMa", "SMb", "SMc"} {
		ch := patient
		if i == 2 {
			ch = "12015550124"
		}
		srv.PutMessage(Message{ID: "reply-" + sid, ChannelType: smsType, ChannelID: ch, UserID: admin, Text: "reply " + sid,
			Custom: map[string]any{"sms_direction": "outbound", "sms_sid": sid, "sms_status": "queued"}})
	}
	srv.PutMessage(Message{ID: "team-1", ChannelType: "messaging", ChannelID: "staff", UserID: admin, Text: "reply SMa",
		Custom: map[string]any{"sms_sid": "SMa"}})
	srv.PutMessage(Message{ID: "gone", ChannelType: smsType, ChannelID: patient, UserID: admin, Type: "deleted",
		Custom: map[string]any{"sms_sid": "SMb"}})
}

func ids(resp *stream.SearchFullResponse) []string {
	var out []string
	for _, r := range resp.Results {
		out = append(out, r.Message.ID)
	}
	return out
}

func TestSearchFindsMessagesByCustomFieldThroughStreamChatGo(t *testing.T) {
	srv, c := newFake(t)
	seedMarked(srv)
	tests := []struct {
		name    string
		request stream.SearchRequest
		want    []string
	}{
		{"sms_sid $in within an $in of channels", stream.SearchRequest{
			Filters:        map[string]any{"cid": map[string]any{"$in": []string{"sms:" + patient, "sms:12015550124"}}},
			MessageFilters: map[string]any{"sms_sid": map[string]any{"$in": []string{"SMa", "SMc", "SMz"}}},
		}, []string{"reply-SMa", "reply-SMc"}},
		{"a bare value means $eq, and deleted messages are left out", stream.SearchRequest{
			Filters: map[string]any{"type": smsType}, MessageFilters: map[string]any{"sms_sid": "SMb"},
		}, []string{"reply-SMb"}},
		{"a channel filter keeps other channel types out", stream.SearchRequest{
			Filters: map[string]any{"type": map[string]any{"$eq": "messaging"}}, MessageFilters: map[string]any{"sms_sid": "SMa"},
		}, []string{"team-1"}},
		{"a query matches text", stream.SearchRequest{Filters: map[string]any{"type": smsType}, Query: "REPLY smc"},
			[]string{"reply-SMc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.SearchWithFullResponse(context.Background(), tt.request)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(resp); !slices.Equal(got, tt.want) {
				t.Errorf("found %v, want %v", got, tt.want)
			}
		})
	}
	if n := srv.Calls(OpSearch); n != len(tests) {
		t.Errorf("Calls(OpSearch) = %d, want %d", n, len(tests))
	}
}

func TestSearchPagesWithNext(t *testing.T) {
	srv, c := newFake(t)
	seedMarked(srv)
	req := stream.SearchRequest{Filters: map[string]any{"type": smsType},
		MessageFilters: map[string]any{"sms_direction": "outbound"}, Limit: 2}
	var got []string
	for range 3 {
		resp, err := c.SearchWithFullResponse(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(resp)...)
		if resp.Next == "" {
			break
		}
		req.Next = resp.Next
	}
	if want := []string{"reply-SMa", "reply-SMb", "reply-SMc"}; !slices.Equal(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
}

func TestSearchIsRefusedLikeStream(t *testing.T) {
	tests := []struct{ name, payload, want string }{
		{"without a query or message filter", `{"filter_conditions": {"type": "sms"}}`, "either query or message_filter_conditions"},
		{"with a query and a message filter", `{"filter_conditions": {"type": "sms"}, "query": "a", "message_filter_conditions": {"id": "x"}}`, "cannot be used together"},
		{"with an offset and a next cursor", `{"filter_conditions": {"type": "sms"}, "query": "a", "offset": 5, "next": "abc"}`, "offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newFake(t)
			status, body := rawRequest(t, srv, "GET", "/search?api_key="+testKey+"&payload="+url.QueryEscape(tt.payload), "", nil)
			if msg, _ := body["message"].(string); status != 400 || body["code"] != 4.0 || !strings.Contains(msg, tt.want) {
				t.Errorf("answer = %d %v, want 400 code 4 mentioning %q", status, body, tt.want)
			}
		})
	}
}

func TestSearchWithAnOperatorTheFakeDoesNotModelIsReported(t *testing.T) {
	var rec failRecorder
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: rec.Fail})
	defer srv.Close()
	seedMarked(srv)
	payload := `{"filter_conditions": {"type": "sms"}, "message_filter_conditions": {"sms_sid": {"$gt": "SMa"}}}`
	status, _ := rawRequest(t, srv, "GET", "/search?api_key="+testKey+"&payload="+url.QueryEscape(payload), "", nil)
	if msgs := rec.messages(); status != 400 || len(msgs) != 1 || !strings.Contains(msgs[0], "$gt") {
		t.Errorf("answer %d, reports %q; want 400 and one report naming $gt", status, msgs)
	}
}

func TestSearchFiltersByTimestampRangesOnMessagesAndChannels(t *testing.T) {
	srv, c := newFake(t)
	base := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	at := func(min int) string { return base.Add(time.Duration(min) * time.Minute).Format(time.RFC3339) }
	pending := map[string]any{"sms_status": "pending"}
	srv.PutMessage(Message{ID: "old", ChannelType: smsType, ChannelID: patient, UserID: admin, Text: "a", Custom: pending, CreatedAt: base})
	srv.PutMessage(Message{ID: "mid", ChannelType: smsType, ChannelID: patient, UserID: admin, Text: "b", Custom: pending, CreatedAt: base.Add(10 * time.Minute)})
	srv.PutMessage(Message{ID: "new", ChannelType: smsType, ChannelID: patient, UserID: admin, Text: "c", Custom: pending, CreatedAt: base.Add(20 * time.Minute)})
	srv.PutMessage(Message{ID: "quiet", ChannelType: smsType, ChannelID: "12015550124", UserID: admin, Text: "d", Custom: pending, CreatedAt: base})
	tests := []struct {
		name    string
		request stream.SearchRequest
		want    []string
	}{
		{"created_at between $gte and $lt", stream.SearchRequest{Filters: map[string]any{"type": smsType},
			MessageFilters: map[string]any{"sms_status": "pending", "created_at": map[string]any{"$gte": at(5), "$lt": at(20)}}}, []string{"mid"}},
		{"$gt and $lte", stream.SearchRequest{Filters: map[string]any{"type": smsType},
			MessageFilters: map[string]any{"created_at": map[string]any{"$gt": at(0), "$lte": at(20)}}}, []string{"mid", "new"}},
		{"channels by last_message_at", stream.SearchRequest{Filters: map[string]any{"type": smsType, "last_message_at": map[string]any{"$gte": at(15)}},
			MessageFilters: map[string]any{"sms_status": "pending"}}, []string{"old", "mid", "new"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.SearchWithFullResponse(context.Background(), tt.request)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(resp); !slices.Equal(got, tt.want) {
				t.Errorf("found %v, want %v", got, tt.want)
			}
		})
	}
}
