package streamhook_test

import (
	"context"
	"errors"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

func TestReadChannelReadsTheSameFieldsOnBothPaths(t *testing.T) {
	fake, chats := newChats(t)
	fake.PutChannel(streamtest.Channel{Type: "sms", ID: patient, Members: []string{patient},
		Custom: map[string]any{bridge.FieldPhone: "+12015550123", bridge.FieldOptedOut: true}})
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			st, err := chat.ReadChannel(context.Background(), patient)
			if err != nil {
				t.Fatal(err)
			}
			if !st.OptedOut || st.Phone.Raw() != "+12015550123" {
				t.Errorf("read %+v, want the channel opted out with its number", st)
			}
			if _, err := chat.ReadChannel(context.Background(), "12015550199"); !errors.Is(err, bridge.ErrNotFound) {
				t.Errorf("missing channel: %v, want ErrNotFound", err)
			}
		})
	}
}

// replicas returns two chats on one fake, as two replicas sharing versions.
func replicas(t *testing.T, versions streamhook.ChannelVersions) (*streamtest.Server, *streamhook.Chat, *streamhook.Chat) {
	t.Helper()
	fake := streamtest.NewServer(streamtest.Options{APIKey: postKey, APISecret: postSecret, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	fake.PutUser(streamtest.User{ID: patient})
	fake.PutChannel(streamtest.Channel{Type: "sms", ID: patient, Members: []string{patient},
		Custom: map[string]any{bridge.FieldPhone: "+12015550123", bridge.FieldOptedOut: false}})
	var chats []*streamhook.Chat
	for range 2 {
		c, err := stream.NewClient(postKey, postSecret)
		if err != nil {
			t.Fatal(err)
		}
		c.BaseURL = fake.URL()
		chats = append(chats, streamhook.NewChat(c, "sms", nil).PostDirectly(postKey, postSecret).
			CacheChannels(versions, postSecret))
	}
	return fake, chats[0], chats[1]
}

func readOptedOut(t *testing.T, c *streamhook.Chat) bool {
	t.Helper()
	st, err := c.ReadChannel(context.Background(), patient)
	if err != nil {
		t.Fatal(err)
	}
	return st.OptedOut
}

func TestAStopOnOneReplicaReachesTheOthersCachedChannel(t *testing.T) {
	stores := map[string]func(t *testing.T) streamhook.ChannelVersions{
		"in memory": func(*testing.T) streamhook.ChannelVersions { return coord.NewMemory() },
		"in Redis": func(t *testing.T) streamhook.ChannelVersions {
			r, err := coord.NewRedis(redistest.Start(t).URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = r.Close() })
			return r
		},
	}
	for name, versions := range stores {
		t.Run(name, func(t *testing.T) {
			fake, a, b := replicas(t, versions(t))
			if readOptedOut(t, a) || readOptedOut(t, b) {
				t.Fatal("the patient starts opted in")
			}
			before := fake.Calls(streamtest.OpQueryChannel)
			if readOptedOut(t, b) {
				t.Fatal("still opted in")
			}
			if got := fake.Calls(streamtest.OpQueryChannel) - before; got != 0 {
				t.Errorf("an unchanged channel was read from Stream %d times, want its cached copy", got)
			}
			// The STOP lands on replica a; b's very next read must see it.
			if err := a.UpdateChannel(context.Background(), patient, map[string]any{bridge.FieldOptedOut: true}); err != nil {
				t.Fatal(err)
			}
			if !readOptedOut(t, b) {
				t.Error("replica b used its cached channel after a STOP on replica a")
			}
			if !readOptedOut(t, a) {
				t.Error("replica a used its cached channel after its own STOP")
			}
			if err := b.UpdateChannel(context.Background(), patient, map[string]any{bridge.FieldOptedOut: false}); err != nil {
				t.Fatal(err)
			}
			if readOptedOut(t, a) {
				t.Error("replica a missed the START on replica b")
			}
		})
	}
}

// brokenVersions is a coordination store that cannot be reached.
type brokenVersions struct{}

var errDown = errors.New("store down")

func (brokenVersions) Count(context.Context, string) (int, time.Duration, error) {
	return 0, 0, errDown
}
func (brokenVersions) Add(context.Context, string, int, time.Duration) (int, error) {
	return 0, errDown
}

func TestWithoutReadableVersionsEveryReadAsksStream(t *testing.T) {
	fake, a, _ := replicas(t, brokenVersions{})
	before := fake.Calls(streamtest.OpQueryChannel)
	for range 3 {
		readOptedOut(t, a)
	}
	if got := fake.Calls(streamtest.OpQueryChannel) - before; got != 3 {
		t.Errorf("%d Stream reads for 3 reads with the store down, want 3 (no cache without versions)", got)
	}
}

func TestCreateConversationMakesTheSameChannelOnBothPaths(t *testing.T) {
	fake, chats := newChats(t)
	fake.PutUser(streamtest.User{ID: "front_desk"})
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			id := map[string]string{"through stream-chat-go": "12015550177", "directly": "12015550178"}[name]
			conv := bridge.Conversation{ChannelID: id, Patient: bridge.User{ID: id, Name: "Patient", Role: "user"},
				Admins: []string{"front_desk"}, CreatedBy: "front_desk",
				Fields: map[string]any{bridge.FieldPhone: "+" + id, bridge.FieldOptedOut: false}}
			// The patient's user does not exist yet: Stream refuses, the
			// users are written, and the channel asked for again.
			st, err := chat.CreateConversation(context.Background(), conv)
			if err != nil {
				t.Fatal(err)
			}
			if st.OptedOut || st.Phone.Raw() != "+"+id {
				t.Errorf("state %+v, want the new channel's number, opted in", st)
			}
			ch, ok := fake.Channel("sms", id)
			if !ok || len(ch.Members) != 2 || ch.CreatedBy != "front_desk" || ch.Custom[bridge.FieldPhone] != "+"+id {
				t.Errorf("channel %+v, want the patient and the admin, created by the admin, with sms_phone", ch)
			}
		})
	}
}
