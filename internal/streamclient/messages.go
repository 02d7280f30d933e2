package streamclient

import (
	"io"
	"net/http"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// maxBody caps a client's request body.
const maxBody = 1 << 20

func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, maxBody))
}

// sendMessage serves POST /channels/{type}/{id}/message: the message, with
// the id the client chose, goes into the shared state, so the bridge's
// webhook gets it, and the answer echoes it.
func (s *Server) sendMessage(r *request) (any, *apiError) {
	typ, id := r.PathValue("type"), r.PathValue("id")
	if _, ok := s.readable(r.user, typ+":"+id); !ok {
		return nil, newError(http.StatusForbidden, codeNotAllowed, "SendMessage failed with error: \"User '"+r.user+"' with role '"+s.role(r.user)+"' is not allowed to perform action CreateMessage in scope '"+typ+"'\"")
	}
	msg, _ := r.body["message"].(map[string]any)
	if msg == nil {
		return nil, newError(http.StatusBadRequest, codeInput, "SendMessage failed with error: \"message is a required field\"")
	}
	out, err := s.opts.Stream.SendClientMessage(typ, id, r.user, msg)
	if err != nil {
		status, code, text := streamtest.ErrorStatus(err)
		return nil, newError(status, code, text)
	}
	return map[string]any{"message": out}, nil
}

func (s *Server) readable(user, cid string) (streamtest.ChannelView, bool) {
	for _, v := range s.opts.Stream.ChannelViews() {
		if v.CID == cid {
			return v, s.canRead(user, v)
		}
	}
	return streamtest.ChannelView{}, false
}

// markRead serves POST .../read (read_events is on), as Stream answers it:
// message.read to the channel's watchers, the reader's own connection
// included (stream-chat 9 then sets the reader's read state), and
// notification.mark_read to every connection of the reader, on which
// stream-chat-react's channel list clears the channel's unread badge.
func (s *Server) markRead(r *request) (any, *apiError) {
	typ, id := r.PathValue("type"), r.PathValue("id")
	cid := typ + ":" + id
	if _, ok := s.readable(r.user, cid); !ok {
		return nil, notFound(cid)
	}
	ev := s.channelEvent(r, "message.read", true)
	note := withCounts(map[string]any{"cid": cid, "channel_type": typ, "channel_id": id, "user": ev["user"],
		"channel": map[string]any{"type": typ, "id": id, "cid": cid}, "created_at": ev["created_at"]}, "notification.mark_read")
	for _, c := range s.hub.all() {
		if c.user == r.user {
			c.queue(note)
		}
	}
	return map[string]any{"event": ev}, nil
}

// sendEvent serves POST .../event (typing.start, typing.stop), relayed to
// the other watchers.
func (s *Server) sendEvent(r *request) (any, *apiError) {
	cid := r.PathValue("type") + ":" + r.PathValue("id")
	if _, ok := s.readable(r.user, cid); !ok {
		return nil, notFound(cid)
	}
	e, _ := r.body["event"].(map[string]any)
	typ, _ := e["type"].(string)
	if typ == "" {
		return nil, newError(http.StatusBadRequest, codeInput, "SendEvent failed with error: \"event.type is a required field\"")
	}
	return map[string]any{"event": s.channelEvent(r, typ, false)}, nil
}

// channelEvent builds a user's event in the channel and sends it to the
// channel's watchers: the others, and with self the sender's connection too.
func (s *Server) channelEvent(r *request, typ string, self bool) map[string]any {
	ctyp, id := r.PathValue("type"), r.PathValue("id")
	cid := ctyp + ":" + id
	ev := map[string]any{"type": typ, "cid": cid, "channel_type": ctyp, "channel_id": id,
		"user": s.opts.Stream.UserJSON(r.user), "created_at": stamp(time.Now())}
	for _, c := range s.hub.all() {
		if (self || c.id != r.connID) && c.watches(cid) {
			c.queue(ev)
		}
	}
	return ev
}

// stopWatching serves POST .../stop-watching.
func (s *Server) stopWatching(r *request) (any, *apiError) {
	if c := s.hub.conn(r.connID); c != nil && c.user == r.user {
		c.setWatch(r.PathValue("type")+":"+r.PathValue("id"), false)
	}
	return map[string]any{}, nil
}

// queryMembers serves GET /members?payload= (the @-mention list): the
// channel's members with their users.
func (s *Server) queryMembers(r *request) (any, *apiError) {
	typ, _ := r.body["type"].(string)
	id, _ := r.body["id"].(string)
	st, ok := s.opts.Stream.ChannelStateJSON(typ, id, 0, "")
	if _, readable := s.readable(r.user, typ+":"+id); !ok || !readable {
		return nil, notFound(typ + ":" + id)
	}
	return map[string]any{"members": st["members"]}, nil
}

// replies serves GET /messages/{id}/replies: the bridge writes no threads,
// so there are none.
func (s *Server) replies(r *request) (any, *apiError) {
	if _, ok := s.opts.Stream.MessageJSON(r.PathValue("id")); !ok {
		return nil, newError(http.StatusNotFound, codeNotFound, "GetReplies failed with error: \"message with ID "+r.PathValue("id")+" doesn't exist\"")
	}
	return map[string]any{"messages": []any{}}, nil
}

// app serves GET /app, which 9.x reads lazily (upload settings and such).
func (s *Server) app(*request) (any, *apiError) {
	return map[string]any{"app": map[string]any{
		"name": "smsbridge sandbox", "file_upload_config": map[string]any{}, "image_upload_config": map[string]any{},
		"auto_translation_enabled": false, "async_url_enrich_enabled": false,
	}}, nil
}

func notFound(cid string) *apiError {
	return newError(http.StatusNotFound, codeNotFound, "Can't find channel with id "+cid)
}
