package streamclient

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// conn is one client's WebSocket.
type conn struct {
	id, user string
	ws       *websocket.Conn
	send     chan []byte

	mu       sync.Mutex
	watching map[string]bool // cids
	closed   bool
}

// queue sends an event; a client too slow to take 256 of them is cut off
// (it reconnects and recovers, as from a network drop).
func (c *conn) queue(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	select {
	case c.send <- b:
	default:
		c.closed = true
		close(c.send)
	}
}

func (c *conn) writeLoop(ctx context.Context) {
	for b := range c.send {
		wctx, cancel := context.WithTimeout(ctx, writeWait)
		err := c.ws.Write(wctx, websocket.MessageText, b)
		cancel()
		if err != nil {
			break
		}
	}
	_ = c.ws.CloseNow()
}

func (c *conn) watches(cid string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.watching[cid]
}

func (c *conn) setWatch(cid string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if on {
		c.watching[cid] = true
	} else {
		delete(c.watching, cid)
	}
}

// hub holds the connections and turns the fake's changes into events.
type hub struct {
	s *Server

	mu      sync.Mutex
	conns   map[string]*conn
	pending []streamtest.Change
	wake    chan struct{}
	done    chan struct{}
}

func newHub(s *Server) *hub {
	return &hub{s: s, conns: map[string]*conn{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

func (h *hub) add(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.conns[c.id] = c
}

func (h *hub) remove(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns, c.id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.send)
	}
}

func (h *hub) conn(id string) *conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conns[id]
}

func (h *hub) all() []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*conn, 0, len(h.conns))
	for _, c := range h.conns {
		out = append(out, c)
	}
	return out
}

// enqueue is the fake's OnChange listener: called with the fake's lock
// held, it only queues.
func (h *hub) enqueue(c streamtest.Change) {
	h.mu.Lock()
	h.pending = append(h.pending, c)
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *hub) close() {
	close(h.done)
	for _, c := range h.all() {
		_ = c.ws.CloseNow()
	}
}

// run delivers the queued changes in order until close.
func (h *hub) run() {
	for {
		select {
		case <-h.done:
			return
		case <-h.wake:
		}
		h.mu.Lock()
		batch := h.pending
		h.pending = nil
		h.mu.Unlock()
		for _, ch := range batch {
			h.deliver(ch)
		}
	}
}

// deliver routes one change by cid: message events to the channel's
// watchers, notification.message_new to members who are not watching (not
// for their own messages), channel.updated to watchers and members, and a
// new channel to its members as notification.added_to_channel, as Stream
// tells the members a channel is created with (stream-chat-react's
// ChannelList adds the channel on it: a reminder to a new patient shows).
func (h *hub) deliver(ch streamtest.Change) {
	if ch.Type == "channel.created" {
		h.addedToChannel(ch.CID)
		return
	}
	typ, id := splitCID(ch.CID)
	members := h.s.members(ch.CID)
	base := map[string]any{"type": ch.Type, "cid": ch.CID, "channel_type": typ, "channel_id": id, "created_at": stamp(time.Now())}
	var msg map[string]any
	author := ""
	if ch.MessageID != "" {
		var ok bool
		if msg, ok = h.s.opts.Stream.MessageJSON(ch.MessageID); !ok {
			return
		}
		base["message"] = msg
		base["user"] = msg["user"]
		if u, ok := msg["user"].(map[string]any); ok {
			author, _ = u["id"].(string)
		}
	}
	if ch.Type == "channel.updated" {
		c, ok := h.s.opts.Stream.ChannelJSON(typ, id)
		if !ok {
			return
		}
		base["channel"] = c
	}
	for _, c := range h.all() {
		watching := c.watches(ch.CID)
		member := slices.Contains(members, c.user)
		switch {
		case watching:
			c.queue(withCounts(base, ch.Type))
		case ch.Type == "message.new" && member && c.user != author:
			ev := withCounts(base, "notification.message_new")
			ev["channel"] = map[string]any{"type": typ, "id": id, "cid": ch.CID}
			c.queue(ev)
		case ch.Type == "channel.updated" && member:
			c.queue(withCounts(base, ch.Type))
		}
	}
}

func withCounts(base map[string]any, typ string) map[string]any {
	ev := make(map[string]any, len(base)+5)
	for k, v := range base {
		ev[k] = v
	}
	ev["type"] = typ
	ev["watcher_count"] = 1
	ev["unread_count"] = 0
	ev["total_unread_count"] = 0
	ev["unread_channels"] = 0
	return ev
}

// addedToChannel tells each connected member of a new channel, with the
// channel and their membership.
func (h *hub) addedToChannel(cid string) {
	typ, id := splitCID(cid)
	channel, ok := h.s.opts.Stream.ChannelJSON(typ, id)
	if !ok {
		return
	}
	st, ok := h.s.opts.Stream.ChannelStateJSON(typ, id, 0, "")
	if !ok {
		return
	}
	members, _ := st["members"].([]any)
	channel["members"] = members
	for _, c := range h.all() {
		for _, m := range members {
			if mm, _ := m.(map[string]any); mm != nil && mm["user_id"] == c.user {
				ev := withCounts(map[string]any{"cid": cid, "channel_type": typ, "channel_id": id, "created_at": stamp(time.Now())},
					"notification.added_to_channel")
				ev["channel"], ev["member"] = channel, mm
				c.queue(ev)
			}
		}
	}
}
