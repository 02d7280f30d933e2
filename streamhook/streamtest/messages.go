package streamtest

import "net/http"

// sendMessage serves POST /channels/{type}/{id}/message. The checks and
// messages are Stream's: the channel must exist (404, code 16), the author
// must be given (server-side auth) and exist, and a message id may be used
// once (400, code 4), which the mutex held by handle makes atomic.
func (s *Server) sendMessage(c *call) (int, map[string]any, error) {
	typ, id := c.params["type"], c.params["id"]
	ch, ok := s.st.channels[cid(typ, id)]
	if !ok {
		return 0, nil, notFoundError(c.operationID, "Can't find channel with id %s", cid(typ, id))
	}
	msg := obj(c.obj, "message")
	userID := stringOr(msg, "user_id", str(obj(msg, "user"), "id"))
	if userID == "" {
		return 0, nil, inputError(c.operationID, "either message.user or message.user_id must be provided when using server side auth.")
	}
	if len(s.st.missingUsers(userID)) > 0 {
		return 0, nil, inputError(c.operationID, "user %q doesn't exist", userID)
	}
	mid := str(msg, "id")
	if _, dup := s.st.messages[mid]; dup {
		return 0, nil, inputError(c.operationID, "a message with ID %s already exists", mid)
	}
	text := str(msg, "text")
	if n := maxMessageLength(s.st.types[ch.Type]); len([]rune(text)) > n {
		return 0, nil, newAPIError(http.StatusBadRequest, codeMessageTooLong,
			failed(c.operationID, "message is too long: %d characters, the channel type allows %d", len([]rune(text)), n))
	}
	silent, _ := msg["silent"].(bool)
	m := s.st.putMessage(Message{
		ID: mid, ChannelType: typ, ChannelID: id, Text: text, Type: str(msg, "type"), UserID: userID, Silent: silent,
		Attachments: parseAttachments(list(msg, "attachments")),
		Custom:      splitCustom(msg, s.spec.schemas("MessageRequest", "MessageResponse")...),
	})
	s.messageCreatedLocked(m.ID) // message.new, when a webhook is set (webhook.go)
	s.changedLocked("message.new", cid(typ, id), m.ID)
	return http.StatusCreated, map[string]any{"message": s.st.messageJSON(m)}, nil
}

// getMessage serves GET /messages/{id}; the message comes with its channel.
func (s *Server) getMessage(c *call) (int, map[string]any, error) {
	m, ok := s.st.messages[c.params["id"]]
	if !ok {
		return 0, nil, notFoundError(c.operationID, "message with ID %s doesn't exist", c.params["id"])
	}
	resp := s.st.messageJSON(m)
	ch, ok := s.st.channels[cid(m.ChannelType, m.ChannelID)]
	if !ok { // seeded without its channel
		ch = &channelRecord{Channel: Channel{Type: m.ChannelType, ID: m.ChannelID}}
	}
	resp["channel"] = s.st.channelJSON(ch)
	return http.StatusOK, map[string]any{"message": resp}, nil
}

// updateMessagePartial serves PUT /messages/{id}: "set" writes text,
// attachments, silent or custom fields; "unset" removes custom fields (or the
// text). Other declared message fields are not modelled and are ignored.
func (s *Server) updateMessagePartial(c *call) (int, map[string]any, error) {
	m, ok := s.st.messages[c.params["id"]]
	if !ok {
		return 0, nil, notFoundError(c.operationID, "message with ID %s doesn't exist", c.params["id"])
	}
	schemas := s.spec.schemas("MessageRequest", "MessageResponse")
	if m.Custom == nil {
		m.Custom = map[string]any{}
	}
	for k, v := range obj(c.obj, "set") {
		switch k {
		case "text":
			m.Text, _ = v.(string)
		case "silent":
			m.Silent, _ = v.(bool)
		case "attachments":
			l, _ := v.([]any)
			m.Attachments = parseAttachments(l)
		default:
			if !declared(k, schemas) {
				m.Custom[k] = deepCopy(v)
			}
		}
	}
	for _, k := range stringList(c.obj, "unset") {
		if k == "text" {
			m.Text = ""
		}
		delete(m.Custom, k)
	}
	m.UpdatedAt = now()
	s.changedLocked("message.updated", cid(m.ChannelType, m.ChannelID), m.ID)
	return http.StatusCreated, map[string]any{"message": s.st.messageJSON(m)}, nil
}

// updateMessage serves POST /messages/{id}, a full update: text,
// attachments, silent and custom fields are replaced; id, author, channel,
// type and created_at stay.
func (s *Server) updateMessage(c *call) (int, map[string]any, error) {
	m, ok := s.st.messages[c.params["id"]]
	if !ok {
		return 0, nil, notFoundError(c.operationID, "message with ID %s doesn't exist", c.params["id"])
	}
	msg := obj(c.obj, "message")
	m.Text = str(msg, "text")
	m.Silent, _ = msg["silent"].(bool)
	m.Attachments = parseAttachments(list(msg, "attachments"))
	m.Custom = splitCustom(msg, s.spec.schemas("MessageRequest", "MessageResponse")...)
	m.UpdatedAt = now()
	s.changedLocked("message.updated", cid(m.ChannelType, m.ChannelID), m.ID)
	return http.StatusCreated, map[string]any{"message": s.st.messageJSON(m)}, nil
}

// parseAttachments reads attachments in v1 (custom fields flattened) or v2
// (custom fields under "custom") form.
func parseAttachments(l []any) []Attachment {
	var out []Attachment
	for _, e := range l {
		a, ok := e.(map[string]any)
		if !ok {
			continue
		}
		fields := copyMap(obj(a, "custom"))
		if fields == nil {
			fields = map[string]any{}
		}
		for k, v := range a {
			if k != "custom" {
				fields[k] = deepCopy(v)
			}
		}
		att := Attachment{Type: str(fields, "type"), ImageURL: str(fields, "image_url"), AssetURL: str(fields, "asset_url"), MimeType: str(fields, "mime_type")}
		for _, k := range []string{"type", "image_url", "asset_url", "mime_type"} {
			delete(fields, k)
		}
		if len(fields) > 0 {
			att.Custom = fields
		}
		out = append(out, att)
	}
	return out
}

// PutMessage seeds or replaces a message. An empty ID gets a generated one,
// an empty Type is "regular", zero times are now. Channel and author are not
// checked.
func (s *Server) PutMessage(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.putMessage(m)
}

// Message returns a copy of the message with that id.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.st.messages[id]
	if !ok {
		return Message{}, false
	}
	return copyMessage(*m), true
}

// Messages returns copies of the channel's messages in creation order.
func (s *Server) Messages(typ, id string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.st.channelMessages(typ, id) {
		out = append(out, copyMessage(*m))
	}
	return out
}
