package streamclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
	"github.com/coder/websocket"
)

func TestTheFirstFrameIsTheHandshakeEachClientVersionExpects(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	for name, tc := range map[string]struct{ json, first string }{
		"stream-chat 1.x": {legacyJSON(admin, tok), "health.check"},
		"stream-chat 9.x": {currentJSON(admin), "connection.ok"},
	} {
		t.Run(name, func(t *testing.T) {
			c := w.dial(t, tc.json, tok)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, b, err := c.ws.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ev map[string]any
			_ = json.Unmarshal(b, &ev)
			me, _ := ev["me"].(map[string]any)
			if ev["type"] != tc.first || ev["connection_id"] == "" || me["id"] != admin || me["mutes"] == nil || me["channel_mutes"] == nil {
				t.Fatalf("first frame = %s", b)
			}
		})
	}
}

func TestEveryClientHealthCheckIsAnswered(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	c := w.dial(t, legacyJSON(admin, tok), tok)
	c.next("health.check")
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := c.ws.Write(ctx, websocket.MessageText, []byte(`[{"type":"health.check","client_id":"x","user_id":"front_desk"}]`)); err != nil {
			t.Fatal(err)
		}
		cancel()
		c.next("health.check")
	}
}

func TestARefusedTokenGetsStreamsErrorFrameAndClose1000(t *testing.T) {
	w := newWorld(t)
	for name, tok := range map[string]string{
		"another app's secret": token(t, "another-apps-secret-0123456789abcdef", admin, time.Now().Add(time.Hour)),
		"expired":              token(t, secret, admin, time.Now().Add(-time.Minute)),
		"another user's":       token(t, secret, patient, time.Now().Add(time.Hour)),
		"not a token":          "garbage",
	} {
		t.Run(name, func(t *testing.T) {
			c := w.dial(t, currentJSON(admin), tok)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, b, err := c.ws.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var frame struct {
				Error *struct {
					Code       int    `json:"code"`
					Message    string `json:"message"`
					StatusCode int    `json:"StatusCode"`
				} `json:"error"`
			}
			if json.Unmarshal(b, &frame) != nil || frame.Error == nil || frame.Error.StatusCode != 401 || frame.Error.Code == 0 || frame.Error.Message == "" {
				t.Fatalf("first frame = %s, want Stream's error", b)
			}
			_, _, err = c.ws.Read(ctx)
			var ce websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure {
				t.Fatalf("after the error frame: %v, want close 1000", err)
			}
		})
	}
}

func TestAChannelTheBridgeCreatesReachesItsMembersAsAddedToChannel(t *testing.T) {
	w := newWorld(t)
	tok := token(t, secret, admin, time.Now().Add(time.Hour))
	c, _ := w.connected(t, tok)
	const third = "12015550142"
	ctx := context.Background()
	if _, err := w.server.UpsertUser(ctx, &stream.User{ID: third, Role: "user"}); err != nil {
		t.Fatal(err)
	}
	// A reminder to a patient who never wrote: the bridge creates the channel.
	if _, err := w.server.CreateChannel(ctx, "sms", third, admin, &stream.ChannelRequest{Members: []string{third, admin}}); err != nil {
		t.Fatal(err)
	}
	ev := c.next("notification.added_to_channel")
	ch, _ := ev["channel"].(map[string]any)
	member, _ := ev["member"].(map[string]any)
	if ev["cid"] != "sms:"+third || ch["cid"] != "sms:"+third || ch["type"] != "sms" || ch["id"] != third || member["user_id"] != admin {
		t.Errorf("notification.added_to_channel = %v", ev)
	}
	if ms, _ := ch["members"].([]any); len(ms) != 2 {
		t.Errorf("the event's channel has members %v, want both", ch["members"])
	}
}
