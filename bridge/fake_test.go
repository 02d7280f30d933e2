package bridge_test

import (
	"context"
	"sync"

	"github.com/smsbridge/smsbridge/bridge"
)

// recordingChat is an in-memory bridge.Chat that records every call and can
// be told to fail.
type recordingChat struct {
	mu       sync.Mutex
	channels map[string]bridge.Conversation
	messages map[string]bridge.ChatMessage
	updates  []map[string]any
	calls    []string
	failWith map[string]error // by call name
}

func newRecordingChat() *recordingChat {
	return &recordingChat{channels: map[string]bridge.Conversation{}, messages: map[string]bridge.ChatMessage{}, failWith: map[string]error{}}
}

func (f *recordingChat) record(call string) error {
	f.calls = append(f.calls, call)
	return f.failWith[call]
}

func (f *recordingChat) PostMessage(_ context.Context, m bridge.ChatMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("post"); err != nil {
		return err
	}
	if _, ok := f.channels[m.ChannelID]; !ok {
		return bridge.ErrNotFound
	}
	if _, ok := f.messages[m.ID]; ok {
		return bridge.ErrDuplicate
	}
	f.messages[m.ID] = m
	return nil
}

func (f *recordingChat) CreateConversation(_ context.Context, c bridge.Conversation) (bridge.ChannelState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("create"); err != nil {
		return bridge.ChannelState{}, err
	}
	if _, ok := f.channels[c.ChannelID]; !ok {
		f.channels[c.ChannelID] = c
	}
	opted, _ := f.channels[c.ChannelID].Fields[bridge.FieldOptedOut].(bool)
	return bridge.ChannelState{OptedOut: opted}, nil
}

func (f *recordingChat) UpdateChannel(_ context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_channel"); err != nil {
		return err
	}
	f.updates = append(f.updates, set)
	return nil
}
