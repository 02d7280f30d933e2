package dev

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestABrowsersStreamClientSharesTheSandboxsChat drives the simulated
// Stream client API as stream-chat 9 does, from the login answer's
// streamBaseUrl: a patient's text arrives as an event, and the admin's
// message sent through it reaches the patient's phone.
func TestABrowsersStreamClientSharesTheSandboxsChat(t *testing.T) {
	r := startSandbox(t)
	status, login := r.post("/admin-login", map[string]string{"adminId": r.sb.AdminID, "password": r.sb.AdminPassword}, nil)
	base, _ := login["streamBaseUrl"].(string)
	tok, _ := login["token"].(string)
	if status != http.StatusOK || base == "" || strings.HasSuffix(base, ":3030") {
		t.Fatalf("login = %d %v", status, login)
	}
	r.keepPrivate(tok)
	js, _ := json.Marshal(map[string]any{"user_id": adminID, "user_details": map[string]any{"id": adminID}, "client_request_id": "r1"})
	u := strings.Replace(base, "http", "ws", 1) + "/connect?" + url.Values{"json": {string(js)},
		"api_key": {login["streamApiKey"].(string)}, "authorization": {tok}, "stream-auth-type": {"jwt"}}.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	next := func(typ string) map[string]any {
		t.Helper()
		for {
			_, b, err := ws.Read(ctx)
			if err != nil {
				t.Fatalf("waiting for %s: %v", typ, err)
			}
			var ev map[string]any
			_ = json.Unmarshal(b, &ev)
			if ev["type"] == typ {
				return ev
			}
		}
	}
	connID, _ := next("connection.ok")["connection_id"].(string)

	r.text(alex, "Is parking free?")
	ev := next("notification.message_new")
	cid, _ := ev["cid"].(string)
	if ev["channel"].(map[string]any)["id"] != alexCID {
		t.Fatalf("notification.message_new = %v", ev)
	}
	call := func(path string, body any) (int, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(body)
		q := url.Values{"api_key": {login["streamApiKey"].(string)}, "user_id": {adminID}, "connection_id": {connID}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path+"?"+q.Encode(), bytes.NewReader(b))
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
	if status, out := call("/channels/"+strings.Replace(cid, ":", "/", 1)+"/query", map[string]any{"state": true, "watch": true}); status != http.StatusCreated {
		t.Fatalf("query = %d %v", status, out)
	}
	r.keepPrivate("Yes, it is free.")
	status, out := call("/channels/"+strings.Replace(cid, ":", "/", 1)+"/message",
		map[string]any{"message": map[string]any{"id": adminID + "-8d2e", "text": "Yes, it is free."}})
	if status != http.StatusCreated || out["message"].(map[string]any)["id"] != adminID+"-8d2e" {
		t.Fatalf("send = %d %v", status, out)
	}
	r.waitUntil("the reply reaches the phone", func(v stateView) bool { return received(v, alex, "Yes, it is free.") })
	for {
		m := next("message.updated")["message"].(map[string]any)
		if m["id"] == adminID+"-8d2e" && m["sms_status"] != nil && m["sms_status"] != "pending" {
			break
		}
	}
}
