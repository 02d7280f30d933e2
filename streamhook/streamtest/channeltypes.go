package streamtest

import "net/http"

// configFlags are the boolean settings of a channel type that Stream always
// returns (ChannelConfigWithInfo); those the create request leaves out are
// false.
var configFlags = []string{
	"typing_events", "read_events", "connect_events", "delivery_events", "search", "reactions",
	"replies", "quotes", "mutes", "uploads", "url_enrichment", "custom_events", "push_notifications",
	"reminders", "mark_messages_pending", "polls", "user_message_reminders", "shared_locations",
	"count_messages", "skip_last_msg_update_for_system_msgs",
}

// giphy is the command Stream's "all" command set stands for, as Stream
// describes it.
var giphy = map[string]any{
	"name": "giphy", "description": "Post a random gif to the channel", "args": "[text]", "set": "fun_set",
}

// defaultTypeConfig is what stream.NewChannelType(name) sends, used for
// types added with AddChannelType.
func defaultTypeConfig(name string) map[string]any {
	return map[string]any{
		"name": name, "automod": "disabled", "automod_behavior": "flag", "max_message_length": 5000,
		"message_retention": "infinite", "push_notifications": true, "commands": []any{"all"},
	}
}

// channelConfigJSON renders a type's settings, with commands as Command
// objects (GetChannelType, channel.config) or as names (CreateChannelType).
func channelConfigJSON(t *channelType, commandObjects bool) map[string]any {
	m := map[string]any{
		"name":               t.name,
		"created_at":         ts(t.createdAt),
		"updated_at":         ts(t.updatedAt),
		"message_retention":  stringOr(t.config, "message_retention", "infinite"),
		"max_message_length": maxMessageLength(t),
		"automod":            stringOr(t.config, "automod", "disabled"),
		"automod_behavior":   stringOr(t.config, "automod_behavior", "flag"),
	}
	for _, f := range configFlags {
		on, _ := t.config[f].(bool)
		m[f] = on
	}
	for _, f := range []string{"blocklist", "blocklist_behavior"} {
		if v := str(t.config, f); v != "" {
			m[f] = v
		}
	}
	names := []any{}
	objects := []any{}
	for _, c := range list(t.config, "commands") {
		name, _ := c.(string)
		if name == "all" || name == "fun_set" || name == "giphy" {
			names, objects = append(names, "giphy"), append(objects, copyMap(giphy))
			continue
		}
		names = append(names, name)
		objects = append(objects, map[string]any{"name": name, "description": "", "args": "", "set": ""})
	}
	m["commands"] = names
	if commandObjects {
		m["commands"] = objects
	}
	return m
}

func maxMessageLength(t *channelType) int {
	if t == nil {
		return 5000
	}
	switch n := t.config["max_message_length"].(type) {
	case float64:
		return int(n)
	case int:
		return n
	}
	return 5000
}

// AddChannelType seeds a channel type with Stream's defaults.
func (s *Server) AddChannelType(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.addChannelType(name, defaultTypeConfig(name))
}

// ChannelTypeExists reports whether the channel type exists.
func (s *Server) ChannelTypeExists(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.st.types[name]
	return ok
}

// getChannelType serves GET /channeltypes/{name}. Stream's message for an
// unknown type is not documented; this one follows its usual form.
func (s *Server) getChannelType(c *call) (int, map[string]any, error) {
	t, ok := s.st.types[c.params["name"]]
	if !ok {
		return 0, nil, notFoundError(c.operationID, "channel type %q does not exist", c.params["name"])
	}
	resp := channelConfigJSON(t, true)
	resp["permissions"] = []any{}
	resp["grants"] = map[string]any{}
	return http.StatusOK, resp, nil
}

// createChannelType serves POST /channeltypes. Creating a type that exists
// is an input error (400, code 4) in Stream.
func (s *Server) createChannelType(c *call) (int, map[string]any, error) {
	name := str(c.obj, "name")
	if name == "" {
		return 0, nil, inputError(c.operationID, "name is a required field")
	}
	if _, ok := s.st.types[name]; ok {
		return 0, nil, inputError(c.operationID, "channel type %q already exists", name)
	}
	config := copyMap(c.obj)
	delete(config, "created_at")
	delete(config, "updated_at")
	s.st.addChannelType(name, config)
	resp := channelConfigJSON(s.st.types[name], false)
	resp["permissions"] = []any{}
	resp["grants"] = map[string]any{}
	return http.StatusCreated, resp, nil
}
