package bridge_test

import (
	"context"
	"sync"

	"github.com/smsbridge/smsbridge/bridge"
)

// scriptedSMS is a bridge.Sender that records what it was asked to send and
// answers with receipt, or with err when set. Each send is also recorded as
// "sms" in chat's call list, so tests see the order of both sides.
type scriptedSMS struct {
	mu      sync.Mutex
	chat    *fakeChat
	sent    []bridge.OutboundMessage
	receipt bridge.Receipt
	err     error
	onSend  func() // runs during the send, e.g. to cancel the caller's context
}

func (s *scriptedSMS) Send(_ context.Context, m bridge.OutboundMessage) (bridge.Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat.mu.Lock()
	s.chat.calls = append(s.chat.calls, "sms")
	s.chat.mu.Unlock()
	s.sent = append(s.sent, m)
	if s.onSend != nil {
		s.onSend()
	}
	if s.err != nil {
		return bridge.Receipt{}, s.err
	}
	return s.receipt, nil
}
