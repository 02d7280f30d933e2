package streamhook_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

const (
	searchKey    = "search-test-key"
	searchSecret = "search-test-secret"
)

func newSearchChat(t *testing.T) (*streamhook.Chat, *streamtest.Server) {
	t.Helper()
	fake := streamtest.NewServer(streamtest.Options{APIKey: searchKey, APISecret: searchSecret, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	c, err := stream.NewClient(searchKey, searchSecret)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = fake.URL()
	return streamhook.NewChat(c, "sms", nil), fake
}

func reply(id, channel, sid, status string) streamtest.Message {
	return streamtest.Message{ID: id, ChannelType: "sms", ChannelID: channel, UserID: "front_desk", Text: "reply",
		Custom: map[string]any{"sms_direction": "outbound", "sms_sid": sid, "sms_status": status}}
}

func TestFindBySIDReturnsTheMarkedMessagesOfTheChannels(t *testing.T) {
	chat, fake := newSearchChat(t)
	fake.PutMessage(reply("r1", "12015550123", "SM1", "queued"))
	fake.PutMessage(reply("r2", "12015550124", "SM2", "sent"))
	fake.PutMessage(reply("r3", "12015550125", "SM3", "sent")) // a channel not asked about
	got, err := chat.FindBySID(context.Background(), []string{"12015550123", "12015550124"}, []string{"SM1", "SM2", "SM3", "SM9"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	if !slices.Equal(ids, []string{"r1", "r2"}) || got[0].Fields["sms_status"] != "queued" || got[1].Fields["sms_sid"] != "SM2" {
		t.Errorf("found %+v", got)
	}
}

func TestFindBySIDWithNothingToFindMakesNoCall(t *testing.T) {
	chat, fake := newSearchChat(t)
	if got, err := chat.FindBySID(context.Background(), nil, []string{"SM1"}); err != nil || got != nil {
		t.Errorf("FindBySID = %v, %v", got, err)
	}
	if n := fake.TotalCalls(); n != 0 {
		t.Errorf("calls = %d, want 0", n)
	}
}

func TestARateLimitedSearchSaysWhenToComeBack(t *testing.T) {
	chat, fake := newSearchChat(t)
	reset := time.Now().Add(3 * time.Second).Unix()
	fake.FailNext(streamtest.OpSearch, 1, streamtest.Fault{Status: http.StatusTooManyRequests,
		Header: http.Header{"X-RateLimit-Reset": {strconv.FormatInt(reset, 10)}}})
	_, err := chat.FindBySID(context.Background(), []string{"12015550123"}, []string{"SM1"})
	var hint bridge.RetryHint
	if !errors.Is(err, bridge.ErrUnavailable) || !errors.As(err, &hint) || hint.RetryAfter() <= 0 || hint.RetryAfter() > 3*time.Second {
		t.Errorf("err = %v, want ErrUnavailable with a hint of up to 3 s", err)
	}
}

func TestRecentRemindersAreTheChannelsRemindersNewestFirst(t *testing.T) {
	chat, fake := newSearchChat(t)
	base := time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)
	reminder := func(id, channel string, at time.Time) streamtest.Message {
		return streamtest.Message{ID: id, ChannelType: "sms", ChannelID: channel, UserID: "front_desk", Text: "See you",
			CreatedAt: at, Custom: map[string]any{"sms_direction": "outbound", "sms_origin": "reminder", "sms_status": "delivered"}}
	}
	fake.PutMessage(reminder("rem-1", "12015550123", base))
	fake.PutMessage(reminder("rem-3", "12015550123", base.Add(2*time.Hour)))
	fake.PutMessage(reminder("rem-2", "12015550123", base.Add(time.Hour)))
	fake.PutMessage(reminder("rem-other", "12015550124", base.Add(3*time.Hour)))
	fake.PutMessage(reply("reply-1", "12015550123", "SM1", "sent")) // not a reminder
	fake.ResetCalls()
	got, err := chat.RecentReminders(context.Background(), "12015550123", 2)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	if !slices.Equal(ids, []string{"rem-3", "rem-2"}) || !got[0].CreatedAt.Equal(base.Add(2*time.Hour)) ||
		got[0].Fields["sms_status"] != "delivered" || got[0].ChannelID != "12015550123" {
		t.Errorf("found %v: %+v", ids, got)
	}
	if n := fake.TotalCalls(); n != 1 {
		t.Errorf("Stream calls = %d, want 1", n)
	}
}

func TestFindReminderFindsTheRowKeyInTheChannelOnly(t *testing.T) {
	chat, fake := newSearchChat(t)
	keyed := func(id, channel, key string) streamtest.Message {
		return streamtest.Message{ID: id, ChannelType: "sms", ChannelID: channel, UserID: "front_desk", Text: "See you",
			Custom: map[string]any{"sms_origin": "reminder", "sms_reminder_key": key, "sms_status": "queued", "sms_sid": "SM1"}}
	}
	fake.PutMessage(keyed("rem-1", "12015550123", "row-a"))
	fake.PutMessage(keyed("rem-2", "12015550124", "row-b"))
	m, ok, err := chat.FindReminder(context.Background(), "12015550123", "row-a")
	if err != nil || !ok || m.ID != "rem-1" || m.Fields["sms_status"] != "queued" {
		t.Errorf("row-a = %+v, %v, %v", m, ok, err)
	}
	for _, c := range []struct{ channel, key string }{{"12015550123", "row-b"}, {"12015550199", "row-a"}} {
		if _, ok, err := chat.FindReminder(context.Background(), c.channel, c.key); ok || err != nil {
			t.Errorf("%s in %s found: %v", c.key, c.channel, err)
		}
	}
}

func TestFindReminderWithTwoKeysPrefersTheFirstInOneSearch(t *testing.T) {
	chat, fake := newSearchChat(t)
	keyed := func(id, key string) streamtest.Message {
		return streamtest.Message{ID: id, ChannelType: "sms", ChannelID: "12015550123", UserID: "front_desk", Text: "See you",
			Custom: map[string]any{"sms_origin": "reminder", "sms_reminder_key": key, "sms_status": "queued", "sms_sid": "SM1"}}
	}
	fake.PutMessage(keyed("rem-old", "row-old"))
	m, ok, err := chat.FindReminder(context.Background(), "12015550123", "row-new", "row-old")
	if err != nil || !ok || m.ID != "rem-old" {
		t.Errorf("only the old key held: %+v, %v, %v", m, ok, err)
	}
	fake.PutMessage(keyed("rem-new", "row-new"))
	m, ok, err = chat.FindReminder(context.Background(), "12015550123", "row-new", "row-old")
	if err != nil || !ok || m.ID != "rem-new" {
		t.Errorf("both held: %+v, %v, %v; want the first key's", m, ok, err)
	}
	if n := fake.TotalCalls(); n != 2 {
		t.Errorf("Stream calls = %d, want one search per lookup", n)
	}
}

func TestReadChannelReturnsTheChannelsFieldsAndCreatesNothing(t *testing.T) {
	chat, fake := newSearchChat(t)
	fake.PutChannel(streamtest.Channel{Type: "sms", ID: "12015550123",
		Custom: map[string]any{"sms_phone": "+12015550123", "sms_opted_out": true}})
	got, err := chat.ReadChannel(context.Background(), "12015550123")
	if err != nil || !got.OptedOut || got.Phone.Raw() != "+12015550123" {
		t.Errorf("read = %+v (%s), %v", got, got.Phone, err)
	}
	if _, err := chat.ReadChannel(context.Background(), "12015550199"); !errors.Is(err, bridge.ErrNotFound) {
		t.Errorf("reading a missing channel: %v, want not found", err)
	}
	if _, ok := fake.Channel("sms", "12015550199"); ok {
		t.Error("reading a missing channel created it")
	}
}

func TestFindPendingReturnsTheRepliesStillPendingInTheWindow(t *testing.T) {
	chat, fake := newSearchChat(t)
	now := time.Now()
	put := func(id, channel, status string, created time.Time) {
		fake.PutMessage(streamtest.Message{ID: id, ChannelType: "sms", ChannelID: channel, UserID: "front_desk", Text: "reply",
			CreatedAt: created, Custom: map[string]any{"sms_status": status}})
	}
	put("abandoned", "12015550123", "pending", now.Add(-10*time.Minute))
	put("too-new", "12015550123", "pending", now.Add(-10*time.Second))
	put("too-old", "12015550124", "pending", now.Add(-3*time.Hour))
	put("sent", "12015550125", "queued", now.Add(-10*time.Minute))
	got, err := chat.FindPending(context.Background(), now.Add(-time.Hour), now.Add(-2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "abandoned" || got[0].Fields["sms_status"] != "pending" {
		t.Errorf("found %+v, want only the abandoned reply", got)
	}
}
