package bridge_test

import (
	"context"
	"maps"
	"sync"

	"github.com/smsbridge/smsbridge/bridge"
)

// messageStore is a recording bridge.OutboundChat / StatusChat: messages by
// id with their custom fields, and channel updates.
type messageStore struct {
	mu        sync.Mutex
	fields    map[string]map[string]any
	channels  map[string]map[string]any
	calls     []string
	failWith  map[string]error
	failTimes map[string]int // how many calls of a kind fail, 0 = all while failWith is set
}

func newMessageStore(ids ...string) *messageStore {
	s := &messageStore{fields: map[string]map[string]any{}, channels: map[string]map[string]any{}, failWith: map[string]error{}, failTimes: map[string]int{}}
	for _, id := range ids {
		s.fields[id] = map[string]any{}
	}
	return s
}

func (s *messageStore) fail(call string) error {
	s.calls = append(s.calls, call)
	err := s.failWith[call]
	if err != nil && s.failTimes[call] > 0 {
		if s.failTimes[call]--; s.failTimes[call] == 0 {
			delete(s.failWith, call)
		}
	}
	return err
}

func (s *messageStore) GetMessage(_ context.Context, id string) (bridge.ChatMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("get"); err != nil {
		return bridge.ChatMessage{}, err
	}
	f, ok := s.fields[id]
	if !ok {
		return bridge.ChatMessage{}, bridge.ErrNotFound
	}
	return bridge.ChatMessage{ID: id, Fields: maps.Clone(f)}, nil
}

func (s *messageStore) UpdateMessage(_ context.Context, id string, set map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("update"); err != nil {
		return err
	}
	if _, ok := s.fields[id]; !ok {
		return bridge.ErrNotFound
	}
	for k, v := range set {
		if v == nil {
			delete(s.fields[id], k) // nil unsets, as in streamhook.Chat
			continue
		}
		s.fields[id][k] = v
	}
	return nil
}

func (s *messageStore) UpdateChannel(_ context.Context, id string, set map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail("update_channel"); err != nil {
		return err
	}
	if s.channels[id] == nil {
		s.channels[id] = map[string]any{}
	}
	maps.Copy(s.channels[id], set)
	return nil
}

func (s *messageStore) field(id, name string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fields[id][name]
}

// recordingSMS is a bridge.SMS that records messages and answers with err
// (once per entry in errs, then success).
type recordingSMS struct {
	mu   sync.Mutex
	sent []bridge.OutboundSMS
	errs []error
	n    int
}

func (r *recordingSMS) Send(ctx context.Context, m bridge.OutboundSMS) (bridge.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) > 0 {
		err := r.errs[0]
		r.errs = r.errs[1:]
		return bridge.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return bridge.Receipt{}, err
	}
	r.n++
	r.sent = append(r.sent, m)
	return bridge.Receipt{Sid: "SM" + string(rune('a'+r.n)), Status: "queued"}, nil
}
