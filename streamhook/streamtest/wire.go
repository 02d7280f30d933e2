package streamtest

import (
	"html"
	"time"
)

// The builders below produce Stream's v1 response objects: the declared
// fields of the spec's response schemas (UserResponse, ChannelResponse,
// MessageResponse, …), every field the schemas require, and the custom fields
// flattened next to them, which is where stream-chat-go's ExtraData reads
// them. Declared fields win over custom ones of the same name, as in Stream.
// The package tests validate these objects against the spec.

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// withCustom starts an object from a copy of the custom fields.
func withCustom(custom map[string]any) map[string]any {
	m := copyMap(custom)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

func (st *state) userJSON(id string) map[string]any {
	u := st.user(id)
	m := withCustom(u.Custom)
	m["id"] = u.ID
	m["role"] = u.Role
	if u.Name != "" {
		m["name"] = u.Name
	}
	m["language"] = ""
	teams := []any{}
	for _, t := range u.Teams {
		teams = append(teams, t)
	}
	m["teams"] = teams
	m["created_at"] = ts(u.createdAt)
	m["updated_at"] = ts(u.updatedAt)
	m["banned"] = false
	m["online"] = false
	m["invisible"] = false
	m["shadow_banned"] = false
	m["blocked_user_ids"] = []any{}
	return m
}

// fullUserJSON is the FullUserResponse of an upsert.
func (st *state) fullUserJSON(id string) map[string]any {
	m := st.userJSON(id)
	m["devices"] = []any{}
	m["mutes"] = []any{}
	m["channel_mutes"] = []any{}
	m["unread_count"] = 0
	m["total_unread_count"] = 0
	m["unread_channels"] = 0
	m["unread_threads"] = 0
	return m
}

func (st *state) channelJSON(ch *channelRecord) map[string]any {
	m := withCustom(ch.Custom)
	m["id"] = ch.ID
	m["type"] = ch.Type
	m["cid"] = cid(ch.Type, ch.ID)
	m["created_at"] = ts(ch.createdAt)
	m["updated_at"] = ts(ch.updatedAt)
	if ch.CreatedBy != "" {
		m["created_by"] = st.userJSON(ch.CreatedBy)
	}
	if ch.Team != "" {
		m["team"] = ch.Team
	}
	m["frozen"] = false
	m["disabled"] = false
	m["member_count"] = len(ch.Members)
	if t, ok := st.types[ch.Type]; ok {
		m["config"] = channelConfigJSON(t, true)
	}
	return m
}

func (st *state) membersJSON(ch *channelRecord) []any {
	out := make([]any, 0, len(ch.Members))
	for _, id := range ch.Members {
		role := "member"
		if id == ch.CreatedBy {
			role = "owner"
		}
		out = append(out, map[string]any{
			"user_id":             id,
			"user":                st.userJSON(id),
			"status":              "member",
			"role":                role,
			"channel_role":        "channel_member",
			"created_at":          ts(ch.createdAt),
			"updated_at":          ts(ch.createdAt),
			"banned":              false,
			"shadow_banned":       false,
			"notifications_muted": false,
		})
	}
	return out
}

func (st *state) messageJSON(msg *Message) map[string]any {
	m := withCustom(msg.Custom)
	m["id"] = msg.ID
	m["text"] = msg.Text
	m["html"] = ""
	if msg.Text != "" {
		m["html"] = "<p>" + html.EscapeString(msg.Text) + "</p>\n"
	}
	m["type"] = msg.Type
	m["user"] = st.userJSON(msg.UserID)
	m["attachments"] = attachmentsJSON(msg.Attachments)
	m["latest_reactions"] = []any{}
	m["own_reactions"] = []any{}
	m["reaction_counts"] = map[string]any{}
	m["reaction_scores"] = map[string]any{}
	m["reply_count"] = 0
	m["deleted_reply_count"] = 0
	m["cid"] = cid(msg.ChannelType, msg.ChannelID)
	m["created_at"] = ts(msg.CreatedAt)
	m["updated_at"] = ts(msg.UpdatedAt)
	m["shadowed"] = false
	m["mentioned_users"] = []any{}
	m["mentioned_channel"] = false
	m["mentioned_here"] = false
	m["silent"] = msg.Silent
	m["pinned"] = false
	m["restricted_visibility"] = []any{}
	return m
}

func attachmentsJSON(atts []Attachment) []any {
	out := make([]any, 0, len(atts))
	for _, a := range atts {
		m := withCustom(a.Custom)
		for k, v := range map[string]string{"type": a.Type, "image_url": a.ImageURL, "asset_url": a.AssetURL, "mime_type": a.MimeType} {
			if v != "" {
				m[k] = v
			}
		}
		out = append(out, m)
	}
	return out
}

// channelStateJSON is the ChannelStateResponse of a get-or-create.
func (st *state) channelStateJSON(ch *channelRecord, messageLimit int) map[string]any {
	msgs := st.channelMessages(ch.Type, ch.ID)
	if len(msgs) > messageLimit {
		msgs = msgs[len(msgs)-messageLimit:]
	}
	list := make([]any, 0, len(msgs))
	for _, m := range msgs {
		list = append(list, st.messageJSON(m))
	}
	return map[string]any{
		"channel":         st.channelJSON(ch),
		"members":         st.membersJSON(ch),
		"messages":        list,
		"pinned_messages": []any{},
		"threads":         []any{},
		"read":            []any{},
		"watcher_count":   0,
	}
}

// channelMessages returns the channel's messages in creation order.
func (st *state) channelMessages(typ, id string) []*Message {
	var out []*Message
	for _, mid := range st.byCID[cid(typ, id)] {
		if m, ok := st.messages[mid]; ok && m.ChannelType == typ && m.ChannelID == id {
			out = append(out, m)
		}
	}
	return out
}
