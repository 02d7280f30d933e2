package streamclient_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	"github.com/smsbridge/smsbridge/internal/streamclient"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

const (
	key, secret = "sandbox-key", "sandbox-secret-0123456789abcdef0123456789"
	admin       = "front_desk"
	patient     = "12015550123"
	other       = "12015550124"
)

type world struct {
	fake   *streamtest.Server
	client *streamclient.Server
	server *stream.Client // the bridge's side
}

// newWorld starts the server-side fake with two patient channels (the
// admin a member of both, as the bridge creates them) and the client API
// beside it.
func newWorld(t *testing.T) *world {
	t.Helper()
	fake := streamtest.NewServer(streamtest.Options{APIKey: key, APISecret: secret, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	sc, err := stream.NewClient(key, secret)
	if err != nil {
		t.Fatal(err)
	}
	sc.BaseURL = fake.URL()
	ctx := context.Background()
	if _, err := sc.CreateChannelType(ctx, stream.NewChannelType("sms")); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.UpsertUsers(ctx, &stream.User{ID: admin, Role: "admin"}, &stream.User{ID: patient, Role: "user"},
		&stream.User{ID: other, Role: "user"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{patient, other} {
		if _, err := sc.CreateChannel(ctx, "sms", p, admin, &stream.ChannelRequest{Members: []string{p, admin}}); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := streamclient.New(ln, streamclient.Options{Stream: fake, APIKey: key, APISecret: secret})
	t.Cleanup(cl.Close)
	return &world{fake: fake, client: cl, server: sc}
}

func token(t *testing.T, sec, user string, exp time.Time) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": user, "exp": exp.Unix(), "iat": time.Now().Add(-time.Minute).Unix()}).SignedString([]byte(sec))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// legacyJSON and currentJSON are the json parameters of stream-chat 1.14
// and 9.x.
func legacyJSON(user, tok string) string {
	b, _ := json.Marshal(map[string]any{"user_id": user, "user_details": map[string]any{"id": user}, "user_token": tok, "server_determines_connection_id": true})
	return string(b)
}

func currentJSON(user string) string {
	b, _ := json.Marshal(map[string]any{"user_id": user, "user_details": map[string]any{"id": user, "name": "Front desk"}, "client_request_id": "r1"})
	return string(b)
}

type wsClient struct {
	t  *testing.T
	ws *websocket.Conn
}

func (w *world) dial(t *testing.T, jsonParam, tok string) *wsClient {
	t.Helper()
	u := strings.Replace(w.client.URL(), "http", "ws", 1) + "/connect?" + url.Values{
		"json": {jsonParam}, "api_key": {key}, "authorization": {tok}, "stream-auth-type": {"jwt"},
	}.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://localhost:5173"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return &wsClient{t: t, ws: ws}
}

// next reads frames until one of the type arrives, within 5 s.
func (c *wsClient) next(typ string) map[string]any {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, b, err := c.ws.Read(ctx)
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", typ, err)
		}
		var ev map[string]any
		if err := json.Unmarshal(b, &ev); err != nil {
			c.t.Fatal(err)
		}
		if ev["type"] == typ {
			return ev
		}
	}
}

// rest calls the client API as stream-chat does: raw JWT, stream-auth-type,
// api_key, user_id and connection_id.
func (w *world) rest(t *testing.T, method, path, tok, connID string, body any) (int, map[string]any) {
	t.Helper()
	q := url.Values{"api_key": {key}, "user_id": {admin}, "connection_id": {connID}}
	var rd *strings.Reader
	if method == http.MethodGet {
		b, _ := json.Marshal(body)
		q.Set("payload", string(b))
		rd = strings.NewReader("")
	} else {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, w.client.URL()+path+"?"+q.Encode(), rd)
	req.Header.Set("Authorization", tok)
	req.Header.Set("Stream-Auth-Type", "jwt")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (w *world) restAs(t *testing.T, user, method, path, tok string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	q := url.Values{"api_key": {key}, "user_id": {user}, "connection_id": {""}}
	req, _ := http.NewRequest(method, w.client.URL()+path+"?"+q.Encode(), strings.NewReader(string(b)))
	req.Header.Set("Authorization", tok)
	req.Header.Set("Stream-Auth-Type", "jwt")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// httptestServer is a webhook receiver on 127.0.0.1 that hands each body to got.
func httptestServer(t *testing.T, got func(string)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got(string(b))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
