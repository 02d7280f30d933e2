package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Stream limits each endpoint per app and minute, so what decides how many
// patients a clinic can serve is Stream calls per SMS lifecycle: the send,
// then Twilio's queued, sent and delivered callbacks (docs/quotas.md). Each
// lifecycle runs once, alone, after the load scenarios, counted on the fake.

// Lifecycle is one lifecycle's Stream calls, by endpoint.
type Lifecycle struct {
	Name  string         `json:"name"`
	Calls map[string]int `json:"stream_calls"` // by streamtest operation, zeros left out
	Total int            `json:"total"`
}

// lifecycleOps are the Stream endpoints a lifecycle may call, as the table
// shows them.
var lifecycleOps = []string{streamtest.OpUpsertUsers, streamtest.OpQueryChannel, streamtest.OpUpdateChannelPartial,
	streamtest.OpSendMessage, streamtest.OpGetMessage, streamtest.OpUpdateMessagePartial, streamtest.OpUpdateMessage,
	streamtest.OpSearch}

// Lifecycle names, as the targets refer to them.
const (
	lcInbound  = "Inbound SMS, known patient"
	lcFirst    = "Inbound SMS, first contact"
	lcReply    = "Admin reply, with its 3 status callbacks"
	lcReminder = "Reminder to a known patient, with its 3 status callbacks"
)

// measureLifecycles runs each lifecycle against the bridge and counts its
// Stream calls.
func measureLifecycles(w *world) ([]Lifecycle, error) {
	// Logging in writes the admin's chat user: not part of a reminder.
	token, err := login(w.bridge.base)
	if err != nil && !errors.Is(err, errSkip) {
		return nil, err
	}
	steps := []struct {
		name string
		run  func(*world) error
	}{
		{lcInbound, func(w *world) error { return w.text(patientNumber(0)) }},
		{lcFirst, func(w *world) error { return w.text(patientNumber(fictionalNumbers + 9_999_999)) }},
		{lcReply, (*world).replyLifecycle},
		{lcReminder, func(w *world) error { return w.reminderLifecycle(token) }},
	}
	if token == "" {
		steps = steps[:3] // a bridge without /send-reminder
	}
	var out []Lifecycle
	for _, s := range steps {
		before := w.streamCalls()
		if err := s.run(w); err != nil {
			return out, fmt.Errorf("lifecycle %q: %w", s.name, err)
		}
		lc := Lifecycle{Name: s.name, Calls: map[string]int{}}
		for op, n := range w.streamCalls() {
			if d := n - before[op]; d > 0 {
				lc.Calls[op], lc.Total = d, lc.Total+d
			}
		}
		out = append(out, lc)
	}
	return out, nil
}

func (w *world) streamCalls() map[string]int {
	out := map[string]int{}
	for _, op := range lifecycleOps {
		out[op] = w.stream.Calls(op)
	}
	return out
}

// text delivers one SMS from number as Twilio does.
func (w *world) text(number string) error {
	form := twiliotest.InboundSMS(accountSID, twiliotest.NewMessageSid(), number, clinicNumber, inboundText)
	return w.twilioPost("/receive-sms", form)
}

// replyLifecycle writes an admin reply, delivers Stream's message.new for it,
// then Twilio's callbacks.
func (w *world) replyLifecycle() error {
	number := patientNumber(0)
	w.stream.PutMessage(streamtest.Message{ID: "lifecycle-reply", ChannelType: channelType,
		ChannelID: channelOf(number), Text: replyText, UserID: adminID})
	body, ok := w.stream.MessageNewEvent("lifecycle-reply")
	if !ok {
		return errors.New("no message.new for the reply")
	}
	req, err := http.NewRequest(http.MethodPost, w.bridge.base+"/stream-outgoing-sms", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = http.Header{"Content-Type": {"application/json"}, "X-Signature": {streamtest.Sign(streamSecret, body)},
		"X-Webhook-Attempt": {"1"}, "X-Webhook-Id": {"wh-lifecycle-reply"}}
	if err := expect(req, http.StatusOK); err != nil {
		return err
	}
	return w.callbacks(number)
}

// reminderLifecycle sends a reminder through the API, then Twilio's
// callbacks.
func (w *world) reminderLifecycle(token string) error {
	number := patientNumber(min(w.numbers, fictionalNumbers) - 1)
	body := `{"phoneNumber":"` + number + `","messageText":"` + replyText + `"}`
	req, err := http.NewRequest(http.MethodPost, w.bridge.base+"/send-reminder", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + token}}
	if err := expect(req, http.StatusOK); err != nil {
		return err
	}
	return w.callbacks(number)
}

// callbacks posts Twilio's queued, sent and delivered callbacks for the
// last SMS to number, to the StatusCallback the bridge gave.
func (w *world) callbacks(number string) error {
	sent := w.twilio.MessagesTo(number)
	if len(sent) == 0 {
		return errors.New("nothing was sent")
	}
	m := sent[len(sent)-1]
	path, ok := strings.CutPrefix(m.StatusCallback, publicURL)
	if !ok {
		return fmt.Errorf("StatusCallback outside PUBLIC_URL")
	}
	for _, status := range []string{"queued", "sent", "delivered"} {
		w.twilio.SetStatus(m.Sid, status, 0)
		if err := w.twilioPost(path, w.twilio.StatusCallbackFor(m.Sid)); err != nil {
			return err
		}
	}
	return nil
}

// twilioPost posts form to path signed as Twilio signs it for PUBLIC_URL.
func (w *world) twilioPost(path string, form url.Values) error {
	req, err := twiliotest.NewSignedRequest(authToken, publicURL, w.bridge.base, path, form)
	if err != nil {
		return err
	}
	return expect(req, http.StatusOK)
}

func expect(req *http.Request, status int) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != status {
		return fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return nil
}

// lifecycleTargets judge the Stream calls per lifecycle against the issue's
// targets (docs/quotas.md).
func lifecycleTargets(lcs []Lifecycle) []Target {
	by := map[string]Lifecycle{}
	for _, l := range lcs {
		by[l.Name] = l
	}
	rules := []struct {
		lifecycle, name string
		met             func(Lifecycle) bool
	}{
		{lcInbound, "inbound SMS, known patient: exactly 1 Stream call (Send Message)",
			func(l Lifecycle) bool { return l.Total == 1 && l.Calls[streamtest.OpSendMessage] == 1 }},
		{lcFirst, "inbound SMS, first contact: at most 4 Stream calls",
			func(l Lifecycle) bool { return l.Total <= 4 }},
		{lcReply, "admin reply: at most 3 calls on the message endpoints, no Get Message, at most 1 channel read, no user or channel update",
			func(l Lifecycle) bool {
				c := l.Calls
				msgs := c[streamtest.OpSendMessage] + c[streamtest.OpGetMessage] + c[streamtest.OpUpdateMessagePartial] + c[streamtest.OpUpdateMessage]
				return msgs <= 3 && c[streamtest.OpGetMessage] == 0 && c[streamtest.OpQueryChannel] <= 1 &&
					c[streamtest.OpUpsertUsers] == 0 && c[streamtest.OpUpdateChannelPartial] == 0
			}},
		{lcReminder, "reminder to a known patient: at most 5 Stream calls, no Get Message, Update Users or Update Channel",
			func(l Lifecycle) bool {
				c := l.Calls
				return l.Total <= 5 && c[streamtest.OpGetMessage] == 0 && c[streamtest.OpUpsertUsers] == 0 && c[streamtest.OpUpdateChannelPartial] == 0
			}},
	}
	var ts []Target
	for _, r := range rules {
		l, ok := by[r.lifecycle]
		ts = append(ts, Target{Name: r.name, Measured: l.String(), Met: ok && r.met(l), Judged: ok})
	}
	return ts
}

// String is the lifecycle's calls, e.g. "3: update_message_partial 3".
func (l Lifecycle) String() string {
	var parts []string
	for _, op := range lifecycleOps {
		if n := l.Calls[op]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", op, n))
		}
	}
	return fmt.Sprintf("%d: %s", l.Total, strings.Join(parts, ", "))
}

// writeLifecycles prints the per-lifecycle table: one column per endpoint.
func writeLifecycles(w io.Writer, lcs []Lifecycle) {
	if len(lcs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### Stream calls per lifecycle\n\n| lifecycle | total | %s |\n|---|--:|%s\n",
		strings.Join(lifecycleOps, " | "), strings.Repeat("--:|", len(lifecycleOps)))
	for _, l := range lcs {
		fmt.Fprintf(w, "| %s | %d |", l.Name, l.Total)
		for _, op := range lifecycleOps {
			fmt.Fprintf(w, " %d |", l.Calls[op])
		}
		fmt.Fprintln(w)
	}
}
