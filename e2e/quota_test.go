package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Stream calls per SMS lifecycle (docs/quotas.md): Stream limits each
// endpoint per app and minute, so these counts decide how many patients a
// clinic can serve.

// streamCalls is the fake's count of calls by operation, zeros left out.
func streamCalls(h *harness) map[string]int {
	out := map[string]int{}
	for _, op := range []string{streamtest.OpGetChannelType, streamtest.OpCreateChannelType, streamtest.OpUpsertUsers,
		streamtest.OpQueryChannel, streamtest.OpSendMessage, streamtest.OpUpdateChannelPartial, streamtest.OpGetMessage,
		streamtest.OpUpdateMessagePartial, streamtest.OpUpdateMessage, streamtest.OpSearch} {
		if n := h.stream.Calls(op); n > 0 {
			out[op] = n
		}
	}
	return out
}

func total(calls map[string]int, ops ...string) int {
	n := 0
	for _, op := range ops {
		n += calls[op]
	}
	return n
}

// messageOps are the endpoints Stream limits to 1,000 calls a minute each.
var messageOps = []string{streamtest.OpSendMessage, streamtest.OpGetMessage,
	streamtest.OpUpdateMessagePartial, streamtest.OpUpdateMessage}

// callbacks delivers Twilio's queued, sent and delivered callbacks for sid to
// the StatusCallback URL the bridge gave Twilio, each signed for that URL
// (without its fragment, which Twilio neither signs nor sends).
func (h *harness) callbacks(sid string, statuses ...string) {
	h.t.Helper()
	m, ok := h.twilio.Message(sid)
	if !ok || !strings.HasPrefix(m.StatusCallback, publicURL) {
		h.t.Fatalf("message %s has StatusCallback %q", sid, m.StatusCallback)
	}
	path := strings.TrimPrefix(m.StatusCallback, publicURL)
	for _, status := range statuses {
		h.twilio.SetStatus(sid, status, 0)
		req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, h.urls[0], path, h.twilio.StatusCallbackFor(sid))
		if err != nil {
			h.t.Fatal(err)
		}
		if r := h.do(req); r.Status != http.StatusOK {
			h.t.Fatalf("%s callback: %d %s", status, r.Status, r.Body)
		}
	}
}

func TestInboundSMSCostsOneStreamCallOnceThePatientIsKnown(t *testing.T) {
	h := start(t)
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Hi, this is the patient"}))
	first := streamCalls(h)
	if n := total(first, streamtest.OpUpsertUsers, streamtest.OpQueryChannel, streamtest.OpSendMessage,
		streamtest.OpUpdateChannelPartial, streamtest.OpGetMessage, streamtest.OpUpdateMessagePartial); n > 4 {
		t.Errorf("first contact made %d Stream calls %v, want at most 4", n, first)
	}
	h.stream.ResetCalls()
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Running ten minutes late"}))
	if got := streamCalls(h); fmt.Sprint(got) != fmt.Sprint(map[string]int{streamtest.OpSendMessage: 1}) {
		t.Errorf("steady state made Stream calls %v, want exactly one send_message", got)
	}
}

func TestAnAdminReplysLifecycleStaysWithinItsStreamCalls(t *testing.T) {
	h := startWithPatient(t)
	h.stream.ResetCalls()
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sid := h.twilio.Messages()[0].Sid
	h.callbacks(sid, "queued", "sent", "delivered")

	got := streamCalls(h)
	if stored, _ := h.stream.Message("reply-1"); stored.Custom["sms_status"] != "delivered" {
		t.Errorf("status = %v, want delivered", stored.Custom["sms_status"])
	}
	checkReplyCalls(t, got)
}

func TestAReminderToAKnownPatientStaysWithinItsStreamCalls(t *testing.T) {
	a := startAPI(t)
	token := a.token("front_desk")
	body := map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Reminder: your appointment is tomorrow at 10:00."}
	if r := a.remind(token, body); r.Status != http.StatusOK {
		t.Fatalf("first reminder: %d %s", r.Status, r.Body)
	}
	a.stream.ResetCalls()
	r := a.remind(token, map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Reminder: bring your insurance card."})
	if r.Status != http.StatusOK {
		t.Fatalf("reminder: %d %s", r.Status, r.Body)
	}
	sent := a.twilio.MessagesTo(reminderPatient)
	last := sent[len(sent)-1]
	mid := midOf(t, last.StatusCallback)
	a.callbacks(last.Sid, "queued", "sent", "delivered")

	got := streamCalls(a.harness)
	if stored, _ := a.stream.Message(mid); stored.Custom["sms_status"] != "delivered" {
		t.Errorf("status = %v, want delivered", stored.Custom["sms_status"])
	}
	checkReminderCalls(t, got)
}

// checkReplyCalls holds an admin reply's lifecycle, with its status
// callbacks, to its Stream calls: at most 3 on the message endpoints and
// no Get Message, at most one channel read, no user or channel update.
func checkReplyCalls(t *testing.T, got map[string]int) {
	t.Helper()
	if n := total(got, messageOps...); n > 3 || got[streamtest.OpGetMessage] > 0 {
		t.Errorf("message endpoints: %d calls %v, want at most 3 and no get_message", n, got)
	}
	if got[streamtest.OpQueryChannel] > 1 || got[streamtest.OpUpsertUsers] > 0 || got[streamtest.OpUpdateChannelPartial] > 0 {
		t.Errorf("channel and user calls %v, want at most one channel read and no update", got)
	}
}

// checkReminderCalls holds a reminder to a known patient, with its status
// callbacks, to at most 5 Stream calls, none of them Get Message, Update
// Users or Update Channel.
func checkReminderCalls(t *testing.T, got map[string]int) {
	t.Helper()
	all := 0
	for _, n := range got {
		all += n
	}
	if all > 5 || got[streamtest.OpGetMessage] > 0 || got[streamtest.OpUpsertUsers] > 0 || got[streamtest.OpUpdateChannelPartial] > 0 {
		t.Errorf("reminder lifecycle made %d Stream calls %v, want at most 5, none of get_message, upsert_users, update_channel_partial", all, got)
	}
}

// midOf is the chat message id a StatusCallback URL names.
func midOf(t *testing.T, callback string) string {
	t.Helper()
	u, err := url.Parse(callback)
	if err != nil || u.Query().Get("mid") == "" {
		t.Fatalf("StatusCallback %q names no message", callback)
	}
	return u.Query().Get("mid")
}
