package streamtest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

func TestFailNextFailsThatManyCallsThenServesAgain(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	srv.ResetCalls()
	srv.FailNext(OpSendMessage, 1, Fault{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"1"}}})
	ch := c.Channel(smsType, patient)

	_, err := ch.SendMessage(context.Background(), inbound("sms-SM1"), patient)
	streamError(t, err, 503, -1)
	if _, ok := srv.Message("sms-SM1"); ok {
		t.Error("a failed call stored the message")
	}
	if _, err := ch.SendMessage(context.Background(), inbound("sms-SM1"), patient); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if srv.Calls(OpSendMessage) != 2 || srv.TotalCalls() != 2 || len(srv.Messages(smsType, patient)) != 1 {
		t.Errorf("calls %d, total %d, messages %d; want 2, 2, 1",
			srv.Calls(OpSendMessage), srv.TotalCalls(), len(srv.Messages(smsType, patient)))
	}
}

func TestFaultWithApplyDoesTheWorkButLosesTheAnswer(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	srv.FailNext(OpSendMessage, 1, Fault{Status: http.StatusGatewayTimeout, Apply: true})
	ch := c.Channel(smsType, patient)

	_, err := ch.SendMessage(context.Background(), inbound("sms-SM1"), patient)
	streamError(t, err, 504, -1)
	if _, ok := srv.Message("sms-SM1"); !ok {
		t.Error("the message was not stored before the fault")
	}
	_, err = ch.SendMessage(context.Background(), inbound("sms-SM1"), patient)
	streamError(t, err, 400, 4)
}

func TestRateLimitFaultCarriesStreamsRateLimitHeaders(t *testing.T) {
	srv, c := newFake(t)
	srv.FailAlways(OpAny, Fault{Status: http.StatusTooManyRequests})

	_, err := c.GetChannelType(context.Background(), smsType)
	se := streamError(t, err, 429, 9)
	if se.RateLimit == nil || se.RateLimit.Limit != 1000 || se.RateLimit.Remaining != 0 || se.RateLimit.ResetTime().Before(time.Now()) {
		t.Errorf("rate limit = %+v", se.RateLimit)
	}
	_, err = c.UpsertUser(context.Background(), &stream.User{ID: patient})
	streamError(t, err, 429, 9)

	srv.ClearFaults()
	if _, err := c.UpsertUser(context.Background(), &stream.User{ID: patient}); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestARateLimitFaultsWindowTurnsWhenItSays(t *testing.T) {
	tests := []struct {
		name     string
		resetIn  time.Duration
		min, max time.Duration
	}{
		{"by default a minute ahead, as Stream's windows are", 0, 59 * time.Second, 61 * time.Second},
		{"ResetIn rounded up to Stream's whole seconds", 1500 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := newFake(t)
			srv.FailNext(OpUpsertUsers, 1, Fault{Status: http.StatusTooManyRequests, ResetIn: tc.resetIn})
			now := time.Now()
			_, err := c.UpsertUser(context.Background(), &stream.User{ID: patient})
			se := streamError(t, err, 429, 9)
			if d := se.RateLimit.ResetTime().Sub(now); d < tc.min || d > tc.max {
				t.Errorf("reset in %v, want between %v and %v", d, tc.min, tc.max)
			}
		})
	}
}

func TestResetFaultClosesTheConnectionWithoutAnswer(t *testing.T) {
	srv, c := newFake(t)
	srv.FailNext(OpUpsertUsers, 1, Fault{Reset: true})

	_, err := c.UpsertUser(context.Background(), &stream.User{ID: patient})
	var se stream.Error
	if err == nil || errors.As(err, &se) {
		t.Errorf("err = %v, want a transport error", err)
	}
	if _, ok := srv.User(patient); ok {
		t.Error("the user was stored although the fault came first")
	}
}

func TestDelayFaultSlowsTheAnswerDown(t *testing.T) {
	srv, c := newFake(t)
	srv.AddChannelType(smsType)
	srv.FailNext(OpGetChannelType, 1, Fault{Delay: 50 * time.Millisecond})

	start := time.Now()
	if _, err := c.GetChannelType(context.Background(), smsType); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v, want at least the delay", d)
	}
}

func TestALongDelayDoesNotHoldUpClose(t *testing.T) {
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: t.Errorf})
	c := newClient(t, srv, testSecret)
	srv.FailAlways(OpAny, Fault{Status: 503, Delay: time.Hour})

	done := make(chan error, 1)
	go func() {
		_, err := c.GetChannelType(context.Background(), smsType)
		done <- err
	}()
	for srv.TotalCalls() == 0 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	srv.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	if err := <-done; err == nil {
		t.Error("the delayed call succeeded")
	}
}

func TestFaultRulesQueueUpAndOperationRulesComeFirst(t *testing.T) {
	srv, c := newFake(t)
	srv.AddChannelType(smsType)
	srv.FailNext(OpAny, 1, Fault{Status: http.StatusBadGateway})
	srv.FailNext(OpGetChannelType, 1, Fault{Status: http.StatusServiceUnavailable})
	srv.FailNext(OpGetChannelType, 1, Fault{Status: http.StatusInternalServerError, Code: 17})
	ctx := context.Background()

	_, err := c.GetChannelType(ctx, smsType)
	streamError(t, err, 503, -1)
	_, err = c.GetChannelType(ctx, smsType)
	streamError(t, err, 500, 17)
	_, err = c.GetChannelType(ctx, smsType)
	streamError(t, err, 502, -1)
	if _, err := c.GetChannelType(ctx, smsType); err != nil {
		t.Errorf("fourth call: %v", err)
	}
	if srv.Calls(OpGetChannelType) != 4 {
		t.Errorf("Calls = %d, want 4", srv.Calls(OpGetChannelType))
	}
	srv.ResetCalls()
	if srv.Calls(OpGetChannelType) != 0 || srv.TotalCalls() != 0 {
		t.Error("ResetCalls left counts")
	}
}
