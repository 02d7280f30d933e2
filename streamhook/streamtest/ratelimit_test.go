package streamtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

func TestRateLimitsRefuseCallsOverTheWindowWithStreamsHeaders(t *testing.T) {
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: t.Errorf,
		RateLimits: RateLimits{Window: time.Hour, Limits: map[string]int{OpSendMessage: 2}}})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, testSecret)
	seedSMS(t, c)
	ch := c.Channel(smsType, patient)

	var remaining []int
	for i := range 2 {
		resp, err := ch.SendMessage(context.Background(), inbound(fmt.Sprintf("sms-SM%d", i)), patient)
		if err != nil {
			t.Fatalf("call %d within the limit: %v", i, err)
		}
		rl := resp.RateLimitInfo
		if rl.Limit != 2 {
			t.Errorf("call %d: X-RateLimit-Limit = %d, want 2", i, rl.Limit)
		}
		remaining = append(remaining, int(rl.Remaining))
	}
	if remaining[0] != 1 || remaining[1] != 0 {
		t.Errorf("X-RateLimit-Remaining = %v, want [1 0]", remaining)
	}
	_, err := ch.SendMessage(context.Background(), inbound("sms-SM9"), patient)
	se := streamError(t, err, 429, 9)
	if se.RateLimit == nil || se.RateLimit.Remaining != 0 || !se.RateLimit.ResetTime().After(time.Now()) {
		t.Errorf("429 rate limit = %+v, want 0 remaining and a reset ahead", se.RateLimit)
	}
	if _, ok := srv.Message("sms-SM9"); ok {
		t.Error("a refused call stored its message")
	}
	if srv.Refused(OpSendMessage) != 1 || srv.Calls(OpSendMessage) != 3 {
		t.Errorf("refused %d of %d calls, want 1 of 3", srv.Refused(OpSendMessage), srv.Calls(OpSendMessage))
	}
	// Other endpoints have their own windows.
	if _, err := c.UpsertUser(context.Background(), &stream.User{ID: patient}); err != nil {
		t.Errorf("an endpoint without a limit was refused: %v", err)
	}
}

func TestRateLimitWindowTurnsAndTakesCallsAgain(t *testing.T) {
	window := 300 * time.Millisecond
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: t.Errorf,
		RateLimits: RateLimits{Window: window, Limits: map[string]int{OpUpsertUsers: 1}}})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, testSecret)
	ctx := context.Background()

	// Start at a window's beginning, so both calls fall in one window.
	time.Sleep(time.Until(time.Now().Truncate(window).Add(window)))
	if _, err := c.UpsertUser(ctx, &stream.User{ID: patient}); err != nil {
		t.Fatal(err)
	}
	_, err := c.UpsertUser(ctx, &stream.User{ID: patient})
	streamError(t, err, 429, 9)
	time.Sleep(window)
	if _, err := c.UpsertUser(ctx, &stream.User{ID: patient}); err != nil {
		t.Errorf("after the window turned: %v", err)
	}
}

func TestLimitsSetLaterApplyFromThenAndTheOverrunIsCountedPerWindow(t *testing.T) {
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: t.Errorf})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, testSecret)
	ctx := context.Background()
	for range 3 {
		if _, err := c.UpsertUser(ctx, &stream.User{ID: patient}); err != nil {
			t.Fatalf("before any limit: %v", err)
		}
	}
	srv.SetRateLimits(RateLimits{Window: time.Hour, Limits: map[string]int{OpUpsertUsers: 1}})
	if _, err := c.UpsertUser(ctx, &stream.User{ID: patient}); err != nil {
		t.Fatalf("the first call under the limit: %v", err)
	}
	for range 2 {
		_, err := c.UpsertUser(ctx, &stream.User{ID: patient})
		streamError(t, err, 429, 9)
	}
	if srv.OverPeak(OpUpsertUsers) != 2 || srv.Refused(OpUpsertUsers) != 2 {
		t.Errorf("over the limit: peak %d, refused %d; want 2 and 2", srv.OverPeak(OpUpsertUsers), srv.Refused(OpUpsertUsers))
	}
}
