package bridge_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// reconcileChat is an in-memory chat that serves every interface the
// reconciler and the relays it reuses need. Each call is recorded; errors
// queued with failNext are returned by the next calls of that kind.
type reconcileChat struct {
	mu       sync.Mutex
	channels map[string]map[string]any
	messages map[string]bridge.ChatMessage
	calls    []string
	failures map[string][]error
}

func newReconcileChat() *reconcileChat {
	return &reconcileChat{channels: map[string]map[string]any{}, messages: map[string]bridge.ChatMessage{}, failures: map[string][]error{}}
}

func (f *reconcileChat) failNext(call string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[call] = append(f.failures[call], errs...)
}

// record notes a call; f.mu must be held.
func (f *reconcileChat) record(call string) error {
	f.calls = append(f.calls, call)
	if q := f.failures[call]; len(q) > 0 {
		f.failures[call] = q[1:]
		return q[0]
	}
	return nil
}

func (f *reconcileChat) count(call string) int {
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

func (f *reconcileChat) PostMessage(_ context.Context, m bridge.ChatMessage) error {
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

func (f *reconcileChat) CreateConversation(_ context.Context, c bridge.Conversation) (bridge.ChannelState, error) {
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

func (f *reconcileChat) UpdateChannel(_ context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_channel"); err != nil {
		return err
	}
	maps.Copy(f.channels[id], set)
	return nil
}

func (f *reconcileChat) GetMessage(_ context.Context, id string) (bridge.ChatMessage, error) {
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

func (f *reconcileChat) UpdateMessage(_ context.Context, id string, set map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("update_message"); err != nil {
		return err
	}
	m, ok := f.messages[id]
	if !ok {
		return bridge.ErrNotFound
	}
	maps.Copy(m.Fields, set)
	return nil
}

func (f *reconcileChat) FindBySID(_ context.Context, channelIDs, sids []string) ([]bridge.ChatMessage, error) {
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

// field reads a custom field of a stored message.
func (f *reconcileChat) field(id, key string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.messages[id].Fields[key]
}

// smsLog is an SMSLog holding messages and media; errors queued in
// listErrs and mediaErrs are returned first.
type smsLog struct {
	msgs      []bridge.LoggedSMS
	media     map[string][]bridge.Media
	listErrs  []error
	mediaErrs []error
	mediaHits int
}

func (l *smsLog) Messages(_ context.Context, since time.Time) ([]bridge.LoggedSMS, error) {
	if len(l.listErrs) > 0 {
		err := l.listErrs[0]
		l.listErrs = l.listErrs[1:]
		return nil, err
	}
	var out []bridge.LoggedSMS
	for _, m := range l.msgs {
		if !m.SentAt.Before(since) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (l *smsLog) Media(_ context.Context, sid string) ([]bridge.Media, error) {
	l.mediaHits++
	if len(l.mediaErrs) > 0 {
		err := l.mediaErrs[0]
		l.mediaErrs = l.mediaErrs[1:]
		return nil, err
	}
	return l.media[sid], nil
}
