package streamhook_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/quota"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// limitedChat is a Chat posting directly on a fake that takes one Send
// Message per window.
func limitedChat(t *testing.T, window time.Duration) (*streamtest.Server, *streamhook.Chat) {
	t.Helper()
	fake := streamtest.NewServer(streamtest.Options{APIKey: postKey, APISecret: postSecret, Fail: t.Errorf,
		RateLimits: streamtest.RateLimits{Window: window, Limits: map[string]int{streamtest.OpSendMessage: 1}}})
	t.Cleanup(fake.Close)
	fake.PutUser(streamtest.User{ID: patient})
	fake.PutChannel(streamtest.Channel{Type: "sms", ID: patient, Members: []string{patient}})
	c, err := stream.NewClient(postKey, postSecret)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = fake.URL()
	return fake, streamhook.NewChat(c, "sms", nil).PostDirectly(postKey, postSecret).SpendByPriority(quota.NewMemory())
}

func TestAnInboundSMSWaitsForTheWindowToTurnWhenItFitsItsDeadline(t *testing.T) {
	fake, chat := limitedChat(t, time.Second)
	ctx, cancel := context.WithTimeout(priority.With(context.Background(), priority.Inbound), 5*time.Second)
	defer cancel()
	for _, id := range []string{"sms-SM1", "sms-SM2"} {
		if err := chat.PostMessage(ctx, inboundMessage(id)); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if fake.Refused(streamtest.OpSendMessage) != 0 {
		t.Errorf("Stream refused %d calls: the view did not hold the second one back", fake.Refused(streamtest.OpSendMessage))
	}
}

func TestACallThatCannotWaitIsRefusedWithoutSpendingACall(t *testing.T) {
	fake, chat := limitedChat(t, time.Hour)
	ctx, cancel := context.WithTimeout(priority.With(context.Background(), priority.Status), 5*time.Second)
	defer cancel()
	if err := chat.PostMessage(ctx, inboundMessage("sms-SM1")); err != nil {
		t.Fatal(err)
	}
	err := chat.PostMessage(ctx, inboundMessage("sms-SM2"))
	var hint bridge.RetryHint
	if !errors.Is(err, bridge.ErrUnavailable) || !errors.As(err, &hint) || hint.RetryAfter() <= 0 {
		t.Fatalf("err = %v, want unavailable with a retry hint", err)
	}
	if n := fake.Calls(streamtest.OpSendMessage); n != 1 {
		t.Errorf("Send Message calls = %d, want 1: the refused one must not reach Stream", n)
	}
}

func TestACallMeetingStreams429WaitsForTheResetWhenItFitsItsDeadline(t *testing.T) {
	fake, _ := limitedChat(t, time.Second)
	c, err := stream.NewClient(postKey, postSecret)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = fake.URL()
	chat := streamhook.NewChat(c, "sms", nil).PostDirectly(postKey, postSecret) // observes only
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second))) // both calls in one window
	for _, id := range []string{"sms-SM1", "sms-SM2"} {
		if err := chat.PostMessage(ctx, inboundMessage(id)); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if _, ok := fake.Message("sms-SM2"); !ok || fake.Refused(streamtest.OpSendMessage) != 1 {
		t.Errorf("stored %v after %d refusals, want stored after 1", ok, fake.Refused(streamtest.OpSendMessage))
	}
}
