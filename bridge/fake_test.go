package bridge_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// fakeChat is the in-memory chat every relay's tests use: it serves each
// small chat interface bridge declares (inbound, outbound, status, reminder,
// reconcile), records every call by kind ("post", "create",
// "update_channel", "read_channel", "get", "update_message", "find",
// "find_pending"), and fails calls on
// request: failWith fails every call of a kind, failNext the next ones.
type fakeChat struct {
	mu       sync.Mutex
	convs    map[string]bridge.Conversation // channels as created, by id
	channels map[string]map[string]any      // channel custom fields, by id
	messages map[string]bridge.ChatMessage
	updates  []map[string]any // UpdateChannel sets, in order
	calls    []string
	failWith map[string]error
	failures map[string][]error
}

// newFakeChat returns an empty chat holding a message for each id, as if
// an admin had written it, with no custom fields yet.
func newFakeChat(ids ...string) *fakeChat {
	f := &fakeChat{convs: map[string]bridge.Conversation{}, channels: map[string]map[string]any{},
		messages: map[string]bridge.ChatMessage{}, failWith: map[string]error{}, failures: map[string][]error{}}
	for _, id := range ids {
		f.messages[id] = bridge.ChatMessage{ID: id, Fields: map[string]any{}}
	}
	return f
}

func (f *fakeChat) failNext(call string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[call] = append(f.failures[call], errs...)
}

// record notes a call and returns the failure planned for it; f.mu is held.
func (f *fakeChat) record(call string) error {
	f.calls = append(f.calls, call)
	if q := f.failures[call]; len(q) > 0 {
		f.failures[call] = q[1:]
		return q[0]
	}
	return f.failWith[call]
}

func (f *fakeChat) PostMessage(_ context.Context, m bridge.ChatMessage) error {
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
	m.Fields = maps.Clone(m.Fields)
	f.messages[m.ID] = m
	return nil
}

func (f *fakeChat) CreateConversation(_ context.Context, c bridge.Conversation) (bridge.ChannelState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("create"); err != nil {
		return bridge.ChannelState{}, err
	}
	if _, ok := f.channels[c.ChannelID]; !ok {
		f.convs[c.ChannelID] = c
		f.channels[c.ChannelID] = maps.Clone(c.Fields)
	}
	opted, _ := f.channels[c.ChannelID][bridge.FieldOptedOut].(bool)
	return bridge.ChannelState{OptedOut: opted}, nil
}

func (f *fakeChat) UpdateChannel(_ context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_channel"); err != nil {
		return err
	}
	if f.channels[id] == nil {
		f.channels[id] = map[string]any{}
	}
	maps.Copy(f.channels[id], set)
	f.updates = append(f.updates, set)
	return nil
}

// ReadChannel returns a channel's fields as streamhook.Chat does; a channel
// that does not exist is an error, as Stream's is.
func (f *fakeChat) ReadChannel(_ context.Context, id string) (bridge.ChannelState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("read_channel"); err != nil {
		return bridge.ChannelState{}, err
	}
	fields, ok := f.channels[id]
	if !ok {
		return bridge.ChannelState{}, bridge.ErrNotFound
	}
	return bridge.ChannelStateFrom(fields), nil
}

func (f *fakeChat) GetMessage(_ context.Context, id string) (bridge.ChatMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("get"); err != nil {
		return bridge.ChatMessage{}, err
	}
	m, ok := f.messages[id]
	if !ok {
		return bridge.ChatMessage{}, bridge.ErrNotFound
	}
	m.Fields = maps.Clone(m.Fields)
	return m, nil
}

// UpdateMessage applies set as streamhook.Chat does: a nil value unsets the
// field. A cancelled call writes nothing, as with a real client.
func (f *fakeChat) UpdateMessage(ctx context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_message"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m, ok := f.messages[id]
	if !ok {
		return bridge.ErrNotFound
	}
	for k, v := range set {
		if v == nil {
			delete(m.Fields, k)
		} else {
			m.Fields[k] = v
		}
	}
	return nil
}

func (f *fakeChat) FindBySID(_ context.Context, channelIDs, sids []string) ([]bridge.ChatMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("find"); err != nil {
		return nil, err
	}
	var out []bridge.ChatMessage
	for _, m := range f.messages {
		sid, _ := m.Fields[bridge.FieldSID].(string)
		if slices.Contains(channelIDs, m.ChannelID) && slices.Contains(sids, sid) {
			m.Fields = maps.Clone(m.Fields)
			out = append(out, m)
		}
	}
	return out, nil
}

// FindPending returns the stored messages created in [since, before) whose
// sms_status is "pending", as Stream's search returns them: copies.
func (f *fakeChat) FindPending(_ context.Context, since, before time.Time) ([]bridge.ChatMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("find_pending"); err != nil {
		return nil, err
	}
	var out []bridge.ChatMessage
	for _, m := range f.messages {
		if m.Fields[bridge.FieldStatus] == bridge.StatusPending && !m.CreatedAt.Before(since) && m.CreatedAt.Before(before) {
			m.Fields = maps.Clone(m.Fields)
			out = append(out, m)
		}
	}
	return out, nil
}

// field reads a custom field of a stored message.
func (f *fakeChat) field(id, key string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.messages[id].Fields[key]
}

// count returns how many calls of a kind were made.
func (f *fakeChat) count(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == call {
			n++
		}
	}
	return n
}

// only returns the one message the chat holds (and how many it holds).
func (f *fakeChat) only() (bridge.ChatMessage, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.messages {
		return m, len(f.messages)
	}
	return bridge.ChatMessage{}, 0
}
