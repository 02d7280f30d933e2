package bridge_test

import (
	"context"
	"maps"
	"sync"

	"github.com/smsbridge/smsbridge/bridge"
)

// reminderChat is a recording bridge.ReminderChat: channels with their
// fields, messages with theirs, and every call in order. failWith makes a
// call kind fail.
type reminderChat struct {
	mu       sync.Mutex
	channels map[string]map[string]any
	messages map[string]bridge.ChatMessage
	calls    []string
	failWith map[string]error
}

func newReminderChat() *reminderChat {
	return &reminderChat{channels: map[string]map[string]any{}, messages: map[string]bridge.ChatMessage{}, failWith: map[string]error{}}
}

func (f *reminderChat) record(call string) error {
	f.calls = append(f.calls, call)
	return f.failWith[call]
}

func (f *reminderChat) CreateConversation(_ context.Context, c bridge.Conversation) (bridge.ChannelState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("create"); err != nil {
		return bridge.ChannelState{}, err
	}
	if _, ok := f.channels[c.ChannelID]; !ok {
		f.channels[c.ChannelID] = maps.Clone(c.Fields)
	}
	opted, _ := f.channels[c.ChannelID][bridge.FieldOptedOut].(bool)
	return bridge.ChannelState{OptedOut: opted}, nil
}

func (f *reminderChat) PostMessage(_ context.Context, m bridge.ChatMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("post"); err != nil {
		return err
	}
	m.Fields = maps.Clone(m.Fields)
	f.messages[m.ID] = m
	return nil
}

func (f *reminderChat) UpdateMessage(ctx context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_message"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // as a real client would: a cancelled call writes nothing
	}
	m, ok := f.messages[id]
	if !ok {
		return bridge.ErrNotFound
	}
	maps.Copy(m.Fields, set)
	return nil
}

func (f *reminderChat) UpdateChannel(_ context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_channel"); err != nil {
		return err
	}
	maps.Copy(f.channels[id], set)
	return nil
}

// only returns the one message the chat holds, or the zero message.
func (f *reminderChat) only() (bridge.ChatMessage, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.messages {
		return m, len(f.messages)
	}
	return bridge.ChatMessage{}, 0
}

// scriptedSMS is a bridge.SMS that records what it was asked to send and
// answers with receipt, or with err when set. Each send is also recorded as
// "sms" in chat's call list, so tests see the order of both sides.
type scriptedSMS struct {
	mu      sync.Mutex
	chat    *reminderChat
	sent    []bridge.OutboundSMS
	receipt bridge.Receipt
	err     error
	onSend  func() // runs during the send, e.g. to cancel the caller's context
}

func (s *scriptedSMS) Send(_ context.Context, m bridge.OutboundSMS) (bridge.Receipt, error) {
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
