package streamclient

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// Defaults of Stream's channel queries.
const (
	defaultChannelLimit = 10
	maxChannelLimit     = 30
	defaultMessageLimit = 25
	maxMessageLimit     = 300
)

func splitCID(cid string) (typ, id string) {
	typ, id, _ = strings.Cut(cid, ":")
	return typ, id
}

func (s *Server) role(user string) string {
	if s.opts.Roles != nil {
		return s.opts.Roles(user)
	}
	r, _ := s.opts.Stream.UserJSON(user)["role"].(string)
	return r
}

func (s *Server) members(cid string) []string {
	for _, v := range s.opts.Stream.ChannelViews() {
		if v.CID == cid {
			return v.Members
		}
	}
	return nil
}

// canRead follows Stream's default permissions: an admin reads every
// channel, anyone else only the channels they are a member of.
func (s *Server) canRead(user string, v streamtest.ChannelView) bool {
	return s.role(user) == "admin" || slices.Contains(v.Members, user)
}

// queryChannels serves GET /channels?payload= (stream-chat 1.x) and POST
// /channels: the channels the user may read that match the filter, sorted
// (last_message_at by default, newest first), paged by limit and offset,
// each with its state; watch subscribes the connection to them.
func (s *Server) queryChannels(r *request) (any, *apiError) {
	filter, _ := r.body["filter_conditions"].(map[string]any)
	var views []streamtest.ChannelView
	for _, v := range s.opts.Stream.ChannelViews() {
		if s.canRead(r.user, v) && matches(filter, v) {
			views = append(views, v)
		}
	}
	desc := true
	if sort, _ := r.body["sort"].([]any); len(sort) > 0 {
		if f, _ := sort[0].(map[string]any); f != nil && num(f, "direction", -1) > 0 {
			desc = false
		}
	}
	slices.SortFunc(views, func(a, b streamtest.ChannelView) int {
		c := cmp.Or(lastActive(a).Compare(lastActive(b)), cmp.Compare(a.CID, b.CID))
		if desc {
			return -c
		}
		return c
	})
	limit := min(num(r.body, "limit", defaultChannelLimit), maxChannelLimit)
	offset := max(num(r.body, "offset", 0), 0)
	views = views[min(offset, len(views)):]
	views = views[:min(limit, len(views))]
	msgLimit := min(num(r.body, "message_limit", defaultMessageLimit), maxMessageLimit)
	out := make([]any, 0, len(views))
	for _, v := range views {
		st, ok := s.state(r, v.Type, v.ID, msgLimit, "")
		if !ok {
			continue
		}
		out = append(out, st)
	}
	return map[string]any{"channels": out}, nil
}

// matches understands the filters the dashboards send: {} (everything),
// type, id and cid with a value or $in, and members $in.
func matches(filter map[string]any, v streamtest.ChannelView) bool {
	for k, want := range filter {
		var have []string
		switch k {
		case "type":
			have = []string{v.Type}
		case "id":
			have = []string{v.ID}
		case "cid":
			have = []string{v.CID}
		case "members":
			have = v.Members
		default:
			continue // not modelled: does not narrow
		}
		if !anyIn(have, want) {
			return false
		}
	}
	return true
}

func anyIn(have []string, want any) bool {
	var wants []any
	switch w := want.(type) {
	case map[string]any:
		if l, ok := w["$in"].([]any); ok {
			wants = l
		} else if e, ok := w["$eq"]; ok {
			wants = []any{e}
		}
	default:
		wants = []any{w}
	}
	for _, w := range wants {
		if ws, ok := w.(string); ok && slices.Contains(have, ws) {
			return true
		}
	}
	return false
}

func lastActive(v streamtest.ChannelView) time.Time {
	if v.LastMessageAt.IsZero() {
		return v.CreatedAt
	}
	return v.LastMessageAt
}

// queryChannel serves POST /channels/{type}/{id}/query: the channel's state,
// messages paged by messages.limit and messages.id_lt; watch subscribes the
// connection. Clients do not create channels here: the bridge does.
func (s *Server) queryChannel(r *request) (any, *apiError) {
	typ, id := r.PathValue("type"), r.PathValue("id")
	msgs, _ := r.body["messages"].(map[string]any)
	limit := min(num(msgs, "limit", defaultMessageLimit), maxMessageLimit)
	idLT, _ := msgs["id_lt"].(string)
	st, ok := s.state(r, typ, id, limit, idLT)
	if !ok {
		return nil, newError(http.StatusNotFound, codeNotFound, fmt.Sprintf("GetOrCreateChannel failed with error: \"Can't find channel with id %s:%s\"", typ, id))
	}
	return st, nil
}

// state renders one channel for the user, or refuses it (false) when it
// does not exist or the user may not read it. With watch set the
// connection starts watching it.
func (s *Server) state(r *request, typ, id string, limit int, idLT string) (map[string]any, bool) {
	cid := typ + ":" + id
	views := s.opts.Stream.ChannelViews()
	i := slices.IndexFunc(views, func(v streamtest.ChannelView) bool { return v.CID == cid })
	if i < 0 || !s.canRead(r.user, views[i]) {
		return nil, false
	}
	st, ok := s.opts.Stream.ChannelStateJSON(typ, id, limit, idLT)
	if !ok {
		return nil, false
	}
	decorate(st, r.user, slices.Contains(views[i].Members, r.user))
	if watch, _ := r.body["watch"].(bool); watch {
		if c := s.hub.conn(r.connID); c != nil && c.user == r.user {
			c.setWatch(cid, true)
			st["watcher_count"] = 1
		}
	}
	return st, true
}

// capabilities are what Stream's default roles may do in a channel they
// read: send, read events, typing; the dashboards gate their inputs on them.
var capabilities = []any{"read-events", "send-message", "send-reply", "send-typing-events", "typing-events", "quote-message", "search-messages"}

// decorate adds the parts of a channel state that depend on who asks:
// own_capabilities, read (every read state starts with nothing unread),
// membership, and the config flags a client needs on (read_events,
// typing_events), which 1.x reads from channel.config.
func decorate(st map[string]any, user string, member bool) {
	ch := st["channel"].(map[string]any)
	ch["own_capabilities"] = capabilities
	cfg, _ := ch["config"].(map[string]any)
	if cfg == nil {
		cfg = map[string]any{}
		ch["config"] = cfg
	}
	cfg["read_events"], cfg["typing_events"] = true, true
	cfg["connect_events"] = true
	cfg["delivery_events"] = false
	st["read"] = []any{}
	if member {
		for _, m := range st["members"].([]any) {
			if mm, _ := m.(map[string]any); mm["user_id"] == user {
				st["membership"] = mm
			}
		}
	}
}

func num(m map[string]any, key string, def int) int {
	if f, ok := m[key].(float64); ok {
		return int(f)
	}
	return def
}
