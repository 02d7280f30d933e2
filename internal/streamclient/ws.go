package streamclient

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// connectParams is the json query parameter of /connect: stream-chat 1.x
// sends user_token and server_determines_connection_id, 9.x
// client_request_id; both send user_id and user_details.
type connectParams struct {
	UserID                       string         `json:"user_id"`
	UserDetails                  map[string]any `json:"user_details"`
	UserToken                    string         `json:"user_token"`
	ServerDeterminesConnectionID bool           `json:"server_determines_connection_id"`
	ClientRequestID              string         `json:"client_request_id"`
}

// legacy reports a stream-chat 1.x client, which takes its user only from
// a first health.check frame; 9.x expects connection.ok first.
func (p connectParams) legacy() bool { return p.UserToken != "" || p.ServerDeterminesConnectionID }

// writeWait bounds each frame written to a browser.
const writeWait = 5 * time.Second

// connect serves GET /connect: it upgrades, checks the token, and answers
// as Stream does. A refused connection gets Stream's error frame, then the
// close code 1000 that tells the client not to retry.
func (s *Server) connect(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var p connectParams
	perr := json.Unmarshal([]byte(q.Get("json")), &p)
	// Any origin: the token is the credential (Stream's WebSocket is
	// opened from every dashboard's origin).
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	ctx := r.Context()
	var user string
	var aerr *apiError
	if perr != nil || p.UserID == "" {
		aerr = newError(http.StatusBadRequest, codeInput, "the json parameter must carry user_id")
	} else {
		user, aerr = s.authenticate(q.Get("api_key"), q.Get("authorization"), q.Get("stream-auth-type"), p.UserID)
	}
	if aerr != nil {
		_ = writeFrame(ctx, ws, map[string]any{"error": aerr})
		_ = ws.Close(websocket.StatusNormalClosure, aerr.Message)
		return
	}
	c := &conn{id: newID(), user: user, ws: ws, send: make(chan []byte, 256), watching: map[string]bool{}}
	s.hub.add(c)
	defer s.hub.remove(c)
	me := s.me(user)
	first := "connection.ok"
	if p.legacy() {
		first = "health.check"
	}
	c.queue(map[string]any{"type": first, "connection_id": c.id, "cid": "*", "me": me, "created_at": stamp(time.Now())})
	if first != "health.check" {
		c.queue(s.healthCheck(c))
	}
	go c.writeLoop(ctx)
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		// The client's ping: [{"type":"health.check",...}] (or the object
		// alone). Every one is answered.
		if strings.Contains(string(data), `"health.check"`) {
			c.queue(s.healthCheck(c))
		}
	}
}

func (s *Server) healthCheck(c *conn) map[string]any {
	return map[string]any{"type": "health.check", "connection_id": c.id, "cid": "*", "me": s.me(c.user), "created_at": stamp(time.Now())}
}

// me is the connected user as the handshake carries it (OwnUser), with the
// mutes a client reads from it.
func (s *Server) me(user string) map[string]any {
	m := s.opts.Stream.UserJSON(user)
	m["mutes"] = []any{}
	m["channel_mutes"] = []any{}
	m["devices"] = []any{}
	m["unread_count"] = 0
	m["total_unread_count"] = 0
	m["unread_channels"] = 0
	m["unread_threads"] = 0
	m["online"] = true
	return m
}

func writeFrame(ctx context.Context, ws *websocket.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, writeWait)
	defer cancel()
	return ws.Write(ctx, websocket.MessageText, b)
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
