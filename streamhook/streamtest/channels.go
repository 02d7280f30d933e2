package streamtest

import "net/http"

// defaultMessageLimit is how many of the latest messages a channel query
// returns when the request does not say.
const defaultMessageLimit = 25

// queryChannel serves POST /channels/{type}/{id}/query, Stream's
// get-or-create. A missing channel is created from data: its creator
// (data.created_by or created_by_id, required with server-side auth), its
// members and its custom fields, all users having to exist already. An
// existing channel is returned unchanged: data only applies on creation.
func (s *Server) queryChannel(c *call) (int, map[string]any, error) {
	typ, id := c.params["type"], c.params["id"]
	if _, ok := s.st.types[typ]; !ok {
		return 0, nil, notFoundError(c.operationID, "channel type %q does not exist", typ)
	}
	ch, ok := s.st.channels[cid(typ, id)]
	if !ok {
		data := obj(c.obj, "data")
		creator := stringOr(obj(data, "created_by"), "id", str(data, "created_by_id"))
		if creator == "" {
			return 0, nil, inputError(c.operationID, "either data.created_by or data.created_by_id must be provided when using server side auth.")
		}
		members := memberIDs(data)
		if missing := s.st.missingUsers(append([]string{creator}, members...)...); len(missing) > 0 {
			return 0, nil, inputError(c.operationID, "The following users are involved in channel update operation, but don't exist: %v. "+
				"Please create the user objects before setting up the channel.", missing)
		}
		custom := splitCustom(data, s.spec.schemas("ChannelInput", "ChannelResponse")...)
		ch = s.st.putChannel(Channel{Type: typ, ID: id, Members: members, CreatedBy: creator, Team: str(data, "team"), Custom: custom})
		s.changedLocked("channel.created", cid(typ, id), "")
	}
	limit := defaultMessageLimit
	if n, ok := obj(c.obj, "messages")["limit"].(float64); ok && n >= 0 {
		limit = int(n)
	}
	return http.StatusCreated, s.st.channelStateJSON(ch, limit), nil
}

// memberIDs reads data.members, given as user ids (v1) or as objects with a
// user_id (v2).
func memberIDs(data map[string]any) []string {
	var ids []string
	for _, e := range list(data, "members") {
		switch m := e.(type) {
		case string:
			ids = append(ids, m)
		case map[string]any:
			ids = append(ids, str(m, "user_id"))
		}
	}
	return ids
}

// updateChannelPartial serves PATCH /channels/{type}/{id}: "set" writes
// custom fields, "unset" removes them. Declared channel fields (frozen,
// disabled, team, …) are not modelled and are ignored.
func (s *Server) updateChannelPartial(c *call) (int, map[string]any, error) {
	key := cid(c.params["type"], c.params["id"])
	ch, ok := s.st.channels[key]
	if !ok {
		return 0, nil, notFoundError(c.operationID, "Can't find channel with id %s", key)
	}
	schemas := s.spec.schemas("ChannelResponse", "ChannelInput")
	if ch.Custom == nil {
		ch.Custom = map[string]any{}
	}
	for k, v := range obj(c.obj, "set") {
		if !declared(k, schemas) {
			ch.Custom[k] = deepCopy(v)
		}
	}
	for _, k := range stringList(c.obj, "unset") {
		delete(ch.Custom, k)
	}
	ch.updatedAt = now()
	s.changedLocked("channel.updated", key, "")
	return http.StatusOK, map[string]any{"channel": s.st.channelJSON(ch), "members": s.st.membersJSON(ch)}, nil
}

// putChannel stores c (creating its type if needed) and returns the record.
func (st *state) putChannel(c Channel) *channelRecord {
	c = copyChannel(c)
	c.Members = uniq(c.Members)
	t := now()
	rec := &channelRecord{Channel: c, createdAt: t, updatedAt: t}
	if old, ok := st.channels[cid(c.Type, c.ID)]; ok {
		rec.createdAt = old.createdAt
	}
	st.channels[cid(c.Type, c.ID)] = rec
	if _, ok := st.types[c.Type]; !ok {
		st.addChannelType(c.Type, defaultTypeConfig(c.Type))
	}
	return rec
}

// PutChannel seeds or replaces a channel, creating its channel type if it
// does not exist. Members and creator are not checked.
func (s *Server) PutChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.putChannel(c)
}

// Channel returns a copy of the channel.
func (s *Server) Channel(typ, id string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.st.channels[cid(typ, id)]
	if !ok {
		return Channel{}, false
	}
	return copyChannel(ch.Channel), true
}

// uniq drops repeated ids, keeping the first of each.
func uniq(ids []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			out = append(out, id)
			seen[id] = true
		}
	}
	return out
}
