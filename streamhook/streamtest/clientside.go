package streamtest

import (
	"errors"
	"net/http"
	"slices"
	"time"
)

// The methods below serve a simulated client-side API (the sandbox's
// internal/streamclient): what a browser's stream-chat reads and writes goes
// through the same state as the bridge's server-side calls, so a message an
// admin sends from a browser is the message the push webhook delivers, and a
// write by the bridge is an event for the browsers.

// Change is one write to the fake's state that clients may need to hear of.
type Change struct {
	// "message.new", "message.updated", "channel.updated", or
	// "channel.created" (by a channel query, with its members).
	Type      string
	CID       string // "type:id"
	MessageID string // for the message events
}

// OnChange sets the one listener told of every change, with the fake's lock
// held and in the order of the writes: it must not call back into the
// Server, only queue the change. nil removes it.
func (s *Server) OnChange(f func(Change)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = f
}

func (s *Server) changedLocked(typ, cid, messageID string) {
	if s.onChange != nil {
		s.onChange(Change{Type: typ, CID: cid, MessageID: messageID})
	}
}

// ErrorStatus returns the HTTP status and Stream code of an error returned
// by SendClientMessage, and its message.
func ErrorStatus(err error) (status, code int, message string) {
	var aerr *apiError
	if errors.As(err, &aerr) {
		return aerr.StatusCode, aerr.Code, aerr.Message
	}
	return http.StatusInternalServerError, codeInternal, err.Error()
}

// ChannelView is a channel as a client lists it.
type ChannelView struct {
	CID, Type, ID string
	Members       []string
	LastMessageAt time.Time // zero without messages
	CreatedAt     time.Time
}

// ChannelViews returns every channel with its members and the time of its
// last message, for a client's channel query to filter and sort.
func (s *Server) ChannelViews() []ChannelView {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ChannelView, 0, len(s.st.channels))
	for key, ch := range s.st.channels {
		v := ChannelView{CID: key, Type: ch.Type, ID: ch.ID, Members: slices.Clone(ch.Members), CreatedAt: ch.createdAt}
		if msgs := s.st.channelMessages(ch.Type, ch.ID); len(msgs) > 0 {
			v.LastMessageAt = msgs[len(msgs)-1].CreatedAt
		}
		out = append(out, v)
	}
	return out
}

// ChannelStateJSON renders a channel's state as a channel query answers it:
// the channel (with config and last_message_at), its members with their
// users, and up to limit messages older than idLT (the newest when idLT is
// empty), oldest first.
func (s *Server) ChannelStateJSON(typ, id string, limit int, idLT string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.st.channels[cid(typ, id)]
	if !ok {
		return nil, false
	}
	msgs := s.st.channelMessages(typ, id)
	last := ""
	if len(msgs) > 0 {
		last = ts(msgs[len(msgs)-1].CreatedAt)
	}
	if idLT != "" {
		if i := slices.IndexFunc(msgs, func(m *Message) bool { return m.ID == idLT }); i >= 0 {
			msgs = msgs[:i]
		}
	}
	st := s.st.channelStateJSON(&channelRecord{Channel: ch.Channel, createdAt: ch.createdAt, updatedAt: ch.updatedAt}, 0)
	if len(msgs) > limit {
		msgs = msgs[len(msgs)-limit:]
	}
	list := make([]any, 0, len(msgs))
	for _, m := range msgs {
		list = append(list, s.st.messageJSON(m))
	}
	st["messages"] = list
	if last != "" {
		st["channel"].(map[string]any)["last_message_at"] = last
	}
	return st, true
}

// ChannelJSON renders the channel alone (the channel of a channel.updated event).
func (s *Server) ChannelJSON(typ, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.st.channels[cid(typ, id)]
	if !ok {
		return nil, false
	}
	return s.st.channelJSON(ch), true
}

// MessageJSON renders a stored message as the API answers it, custom fields
// (sms_status, sms_error, …) flattened.
func (s *Server) MessageJSON(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.st.messages[id]
	if !ok {
		return nil, false
	}
	return s.st.messageJSON(m), true
}

// UserJSON renders a user as the API answers it.
func (s *Server) UserJSON(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.userJSON(id)
}

// SendClientMessage stores a message sent by userID from a client, with the
// id the client chose, and pushes it through the webhook like any other
// message sent through the API. The checks are sendMessage's.
func (s *Server) SendClientMessage(typ, id, userID string, msg map[string]any) (map[string]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "SendMessage"
	ch, ok := s.st.channels[cid(typ, id)]
	if !ok {
		return nil, notFoundError(op, "Can't find channel with id %s", cid(typ, id))
	}
	mid := str(msg, "id")
	if _, dup := s.st.messages[mid]; dup && mid != "" {
		return nil, inputError(op, "a message with ID %s already exists", mid)
	}
	text := str(msg, "text")
	if n := maxMessageLength(s.st.types[ch.Type]); len([]rune(text)) > n {
		return nil, newAPIError(http.StatusBadRequest, codeMessageTooLong,
			failed(op, "message is too long: %d characters, the channel type allows %d", len([]rune(text)), n))
	}
	custom := splitCustom(msg, s.spec.schemas("MessageRequest", "MessageResponse")...)
	for _, k := range []string{"user", "user_id", "parent_id", "mentioned_users", "show_in_channel"} {
		delete(custom, k)
	}
	m := s.st.putMessage(Message{
		ID: mid, ChannelType: typ, ChannelID: id, Text: text, Type: str(msg, "type"), UserID: userID,
		Attachments: parseAttachments(list(msg, "attachments")), Custom: custom,
	})
	s.messageCreatedLocked(m.ID)
	s.changedLocked("message.new", cid(typ, id), m.ID)
	return s.st.messageJSON(m), nil
}
