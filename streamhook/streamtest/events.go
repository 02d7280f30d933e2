package streamtest

import (
	"encoding/json"
	"time"
)

// MessageNewEvent returns the body of the message.new webhook Stream sends
// for the stored message id: the message as the API renders it (custom
// fields flattened, author with role), the channel's ids, the author, and
// the fields the spec's MessageNewEvent requires, and channel_custom after
// SetChannelCustomInEvents. Sign it with Sign.
func (s *Server) MessageNewEvent(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.st.messages[id]
	if !ok {
		return nil, false
	}
	msg := s.st.messageJSON(m)
	ev := map[string]any{
		"type":          "message.new",
		"cid":           cid(m.ChannelType, m.ChannelID),
		"channel_type":  m.ChannelType,
		"channel_id":    m.ChannelID,
		"message_id":    m.ID,
		"message":       msg,
		"user":          msg["user"],
		"custom":        map[string]any{},
		"watcher_count": 0,
		"created_at":    ts(time.Now()),
	}
	if ch, ok := s.st.channels[cid(m.ChannelType, m.ChannelID)]; ok && s.channelCustom {
		custom := copyMap(ch.Custom)
		if custom == nil {
			custom = map[string]any{}
		}
		ev["channel_custom"] = custom
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, false
	}
	return body, true
}

// SetChannelCustomInEvents makes every message.new event (pushed, or built
// by MessageNewEvent) carry the channel's custom fields as channel_custom,
// which Stream's MessageNewEvent schema (v2) describes. Off, the default,
// events look like the documented v1 push payload, which carries none.
func (s *Server) SetChannelCustomInEvents(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channelCustom = on
}
