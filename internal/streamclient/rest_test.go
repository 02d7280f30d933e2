package streamclient_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// connected opens a 1.x WebSocket and returns its connection id.
func (w *world) connected(t *testing.T, tok string) (*wsClient, string) {
	t.Helper()
	c := w.dial(t, legacyJSON(admin, tok), tok)
	id, _ := c.next("health.check")["connection_id"].(string)
	return c, id
}

func TestTheLegacyChannelListGetsEveryChannelWithTheStateStreamChat1Needs(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	_, conn := w.connected(t, tok)
	ctx := context.Background()
	ch := w.server.Channel("sms", other)
	if _, err := ch.SendMessage(ctx, &stream.Message{Text: "hello", ExtraData: map[string]any{"sms_status": "delivered"}}, other); err != nil {
		t.Fatal(err)
	}
	status, out := w.rest(t, http.MethodGet, "/channels", tok, conn, map[string]any{
		"filter_conditions": map[string]any{}, "sort": []any{map[string]any{"field": "last_message_at", "direction": -1}},
		"state": true, "watch": true, "presence": false, "limit": 30, "offset": 0,
	})
	chans, _ := out["channels"].([]any)
	if status != 200 || len(chans) != 2 {
		t.Fatalf("GET /channels = %d %v", status, out)
	}
	first := chans[0].(map[string]any)
	c := first["channel"].(map[string]any)
	if c["cid"] != "sms:"+other {
		t.Errorf("the channel with the last message is not first: %v", c["cid"])
	}
	cfg, _ := c["config"].(map[string]any)
	if cfg["read_events"] != true || c["own_capabilities"] == nil || c["last_message_at"] == nil {
		t.Errorf("channel = %v", c)
	}
	m := first["members"].([]any)[0].(map[string]any)
	if u, _ := m["user"].(map[string]any); u["id"] == nil {
		t.Errorf("member without its user: %v", m)
	}
	msg := first["messages"].([]any)[0].(map[string]any)
	if msg["sms_status"] != "delivered" || msg["text"] != "hello" {
		t.Errorf("message = %v", msg)
	}
}

func TestAPatientsChannelOnlyShowsToItsMembersAndAdmins(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, patient, time.Now().Add(time.Hour))
	q := map[string]any{"filter_conditions": map[string]any{}, "limit": 30}
	status, out := w.restAs(t, patient, http.MethodPost, "/channels", tok, q)
	chans, _ := out["channels"].([]any)
	if status != 201 || len(chans) != 1 || chans[0].(map[string]any)["channel"].(map[string]any)["id"] != patient {
		t.Fatalf("a patient sees %d %v", status, out)
	}
	status, out = w.restAs(t, patient, http.MethodPost, "/channels/sms/"+other+"/message", tok, map[string]any{"message": map[string]any{"text": "x"}})
	if status != 403 || out["StatusCode"] != float64(403) || out["code"] == nil || out["message"] == nil {
		t.Errorf("another patient's channel: %d %v", status, out)
	}
	status, out = w.rest(t, http.MethodPost, "/channels", "bad-token", "", q)
	if status != 401 || out["StatusCode"] != float64(401) {
		t.Errorf("a bad token: %d %v", status, out)
	}
}

func TestAMessageSentFromTheBrowserKeepsItsIDAndReachesTheWebhook(t *testing.T) {
	w := newWorld(t)
	var mu sync.Mutex
	var pushed []string
	hook := httptestServer(t, func(body string) { mu.Lock(); pushed = append(pushed, body); mu.Unlock() })
	w.fake.SetWebhook(streamtest.Webhook{URL: hook})
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	_, conn := w.connected(t, tok)
	status, out := w.rest(t, http.MethodPost, "/channels/sms/"+patient+"/message", tok, conn,
		map[string]any{"message": map[string]any{"id": "front_desk-6b1f", "text": "See you at 10", "attachments": []any{}, "mentioned_users": []any{}}})
	msg, _ := out["message"].(map[string]any)
	if status != 201 || msg["id"] != "front_desk-6b1f" {
		t.Fatalf("send = %d %v", status, out)
	}
	stored, ok := w.fake.Message("front_desk-6b1f")
	if !ok || stored.UserID != admin || stored.Text != "See you at 10" {
		t.Fatalf("stored = %+v %v", stored, ok)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(pushed)
		mu.Unlock()
		if n > 0 {
			if !strings.Contains(pushed[0], `"front_desk-6b1f"`) || !strings.Contains(pushed[0], `"message.new"`) {
				t.Fatalf("pushed %s", pushed[0])
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the webhook never got the message")
}

func TestTheBridgesWritesReachBrowsersAsEventsRoutedByCID(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	c, conn := w.connected(t, tok)
	if status, out := w.rest(t, http.MethodPost, "/channels/sms/"+patient+"/query", tok, conn, map[string]any{"state": true, "watch": true}); status != 201 {
		t.Fatalf("query = %d %v", status, out)
	}
	ctx := context.Background()
	// A patient's text in a channel the admin watches: message.new.
	resp, err := w.server.Channel("sms", patient).SendMessage(ctx, &stream.Message{Text: "running late"}, patient)
	if err != nil {
		t.Fatal(err)
	}
	ev := c.next("message.new")
	if ev["cid"] != "sms:"+patient || ev["message"].(map[string]any)["id"] != resp.Message.ID {
		t.Errorf("message.new = %v", ev)
	}
	// A status the bridge writes: message.updated with the custom field.
	if _, err := w.server.PartialUpdateMessage(ctx, resp.Message.ID, &stream.MessagePartialUpdateRequest{
		PartialUpdate: stream.PartialUpdate{Set: map[string]any{"sms_status": "failed", "sms_error": "Unreachable"}}}); err != nil {
		t.Fatal(err)
	}
	ev = c.next("message.updated")
	if m := ev["message"].(map[string]any); m["sms_status"] != "failed" || m["sms_error"] != "Unreachable" {
		t.Errorf("message.updated = %v", ev)
	}
	// A text in a channel the admin is a member of but does not watch.
	if _, err := w.server.Channel("sms", other).SendMessage(ctx, &stream.Message{Text: "hi"}, other); err != nil {
		t.Fatal(err)
	}
	ev = c.next("notification.message_new")
	if ch, _ := ev["channel"].(map[string]any); ch["cid"] != "sms:"+other || ch["type"] != "sms" || ch["id"] != other {
		t.Errorf("notification.message_new = %v", ev)
	}
	// The bridge marks the patient opted out: channel.updated.
	if _, err := w.server.Channel("sms", patient).PartialUpdate(ctx, stream.PartialUpdate{Set: map[string]any{"sms_opted_out": true}}); err != nil {
		t.Fatal(err)
	}
	ev = c.next("channel.updated")
	if ch, _ := ev["channel"].(map[string]any); ch["sms_opted_out"] != true {
		t.Errorf("channel.updated = %v", ev)
	}
}

func TestAnyOriginPassesThePreflight(t *testing.T) {
	w := newWorld(t)
	req, _ := http.NewRequest(http.MethodOptions, w.client.URL()+"/channels", nil)
	req.Header.Set("Origin", "http://localhost:5173")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,stream-auth-type,x-client-request-id,x-stream-client")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "stream-auth-type") {
		t.Errorf("preflight = %d %v", resp.StatusCode, resp.Header)
	}
}

func TestMarkingAChannelReadReachesTheReadersOwnConnections(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	c, conn := w.connected(t, tok)
	if status, out := w.rest(t, http.MethodPost, "/channels/sms/"+patient+"/query", tok, conn, map[string]any{"state": true, "watch": true}); status != 201 {
		t.Fatalf("query = %d %v", status, out)
	}
	if status, out := w.rest(t, http.MethodPost, "/channels/sms/"+patient+"/read", tok, conn, map[string]any{}); status != 201 {
		t.Fatalf("read = %d %v", status, out)
	}
	ev := c.next("message.read")
	if u, _ := ev["user"].(map[string]any); ev["cid"] != "sms:"+patient || u["id"] != admin || ev["created_at"] == nil {
		t.Errorf("message.read = %v", ev)
	}
	// And the reader's connections hear it as their own notification, on
	// which stream-chat-react clears the channel's unread badge.
	ev = c.next("notification.mark_read")
	if ev["cid"] != "sms:"+patient || ev["unread_channels"] != float64(0) || ev["total_unread_count"] != float64(0) {
		t.Errorf("notification.mark_read = %v", ev)
	}
}
