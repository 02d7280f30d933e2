package streamtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

// hookReceiver is the app end of the push webhook: it answers each attempt
// with the next scripted status (200 once the script runs out) and records
// what it received.
type hookReceiver struct {
	mu       sync.Mutex
	statuses []int
	got      []*http.Request
	bodies   [][]byte
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	status := http.StatusOK
	if len(h.statuses) > 0 {
		status, h.statuses = h.statuses[0], h.statuses[1:]
	}
	h.got = append(h.got, r)
	h.bodies = append(h.bodies, body)
	h.mu.Unlock()
	w.WriteHeader(status)
}

// requests returns what the receiver got so far.
func (h *hookReceiver) requests() ([]*http.Request, [][]byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*http.Request(nil), h.got...), append([][]byte(nil), h.bodies...)
}

// withWebhook starts a fake with a webhook pointing at a receiver that
// answers with statuses, and returns the channel deliveries are reported on.
func withWebhook(t *testing.T, statuses ...int) (*stream.Client, *Server, *hookReceiver, chan WebhookDelivery) {
	t.Helper()
	srv, c := newFake(t)
	seedSMS(t, c)
	recv := &hookReceiver{statuses: statuses}
	app := httptest.NewServer(recv)
	t.Cleanup(app.Close)
	done := make(chan WebhookDelivery, 4)
	srv.SetWebhook(Webhook{URL: app.URL + "/stream-outgoing-sms", Report: func(d WebhookDelivery) { done <- d }})
	return c, srv, recv, done
}

func waitDelivery(t *testing.T, done chan WebhookDelivery) WebhookDelivery {
	t.Helper()
	select {
	case d := <-done:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook delivery reported within 10 s")
	}
	return WebhookDelivery{}
}

func TestAMessageSentThroughTheAPIIsPushedAsASignedMessageNew(t *testing.T) {
	c, _, recv, done := withWebhook(t)
	resp, err := c.Channel(smsType, patient).SendMessage(context.Background(), &stream.Message{Text: "See you at 3"}, admin)
	if err != nil {
		t.Fatal(err)
	}
	id := resp.Message.ID
	d := waitDelivery(t, done)
	if d.MessageID != id || d.Attempts != 1 || d.Status != http.StatusOK || d.Err != nil {
		t.Errorf("delivery = %+v", d)
	}
	reqs, bodies := recv.requests()
	req, body := reqs[0], bodies[0]
	if got := req.Header.Get("X-Signature"); got != Sign(testSecret, body) {
		t.Errorf("X-Signature = %q, want the HMAC of the body", got)
	}
	if req.Header.Get("X-Webhook-Attempt") != "1" || req.Header.Get("X-Api-Key") != testKey ||
		req.Header.Get("X-Webhook-Id") == "" || req.URL.Path != "/stream-outgoing-sms" {
		t.Errorf("request = %s %v", req.URL.Path, req.Header)
	}
	var ev struct {
		Type    string `json:"type"`
		Message struct {
			ID   string `json:"id"`
			User struct {
				Role string `json:"role"`
			} `json:"user"`
		} `json:"message"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Type != "message.new" || ev.Message.ID != id ||
		ev.Message.User.Role != "admin" {
		t.Errorf("event = %+v, %v", ev, err)
	}
}

func TestFailedPushesAreRetriedAsStreamDoes(t *testing.T) {
	tests := []struct {
		name         string
		answers      []int
		wantAttempts int
		wantStatus   int
	}{
		{"a 503 then a 200 takes two attempts", []int{503, 200}, 2, 200},
		{"5xx answers stop after three attempts", []int{500, 502, 503, 200}, 3, 503},
		{"429 answers are retried too", []int{429, 200}, 2, 200},
		{"a 401 is final", []int{401, 200}, 1, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, recv, done := withWebhook(t, tc.answers...)
			_, err := c.Channel(smsType, patient).SendMessage(context.Background(), &stream.Message{Text: "hello"}, admin)
			if err != nil {
				t.Fatal(err)
			}
			d := waitDelivery(t, done)
			if d.Attempts != tc.wantAttempts || d.Status != tc.wantStatus {
				t.Errorf("delivery = %+v, want %d attempts ending %d", d, tc.wantAttempts, tc.wantStatus)
			}
			reqs, _ := recv.requests()
			for n, req := range reqs {
				if req.Header.Get("X-Webhook-Attempt") != strconv.Itoa(n+1) || req.Header.Get("X-Webhook-Id") != d.WebhookID {
					t.Errorf("attempt %d headers = %v", n+1, req.Header)
				}
			}
		})
	}
}

func TestSeededMessagesAndRemovedWebhooksPushNothing(t *testing.T) {
	c, srv, recv, done := withWebhook(t)
	srv.PutMessage(Message{ID: "seeded", ChannelType: smsType, ChannelID: patient, UserID: admin, Text: "seeded"})
	srv.SetWebhook(Webhook{})
	if _, err := c.Channel(smsType, patient).SendMessage(context.Background(), &stream.Message{Text: "hello"}, admin); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-done:
		t.Errorf("unexpected delivery %+v", d)
	case <-time.After(300 * time.Millisecond):
	}
	if reqs, _ := recv.requests(); len(reqs) != 0 {
		t.Errorf("receiver got %d requests, want 0", len(reqs))
	}
}

func TestMessageNewEventsCarryTheChannelsCustomFieldsOnlyWhenAsked(t *testing.T) {
	srv, _ := newFake(t)
	srv.PutChannel(Channel{Type: "sms", ID: patient, Custom: map[string]any{"sms_phone": "+" + patient, "sms_opted_out": true}})
	srv.PutMessage(Message{ID: "m1", ChannelType: "sms", ChannelID: patient, Text: "hi", UserID: admin})
	custom := func() (map[string]any, bool) {
		body, ok := srv.MessageNewEvent("m1")
		if !ok {
			t.Fatal("no event")
		}
		var ev struct {
			ChannelCustom map[string]any `json:"channel_custom"`
		}
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Fatal(err)
		}
		return ev.ChannelCustom, ev.ChannelCustom != nil
	}
	if got, ok := custom(); ok {
		t.Errorf("default event carries channel_custom %v, want none (the documented v1 payload)", got)
	}
	srv.SetChannelCustomInEvents(true)
	if got, _ := custom(); got["sms_opted_out"] != true || got["sms_phone"] != "+"+patient {
		t.Errorf("channel_custom = %v", got)
	}
}
