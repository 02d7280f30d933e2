package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// seedPatient gives number a chat user and channel, as its first SMS would.
func (h *harness) seedPatient(number string) {
	h.secret(seedPatient(h.stream, number))
}

// seedPatient puts into stream what a patient's first SMS leaves there: the
// patient's user, the admins, and the patient's sms channel. It returns the
// channel (and user) id.
func seedPatient(stream *streamtest.Server, number string) string {
	id := strings.TrimPrefix(number, "+")
	stream.PutUser(streamtest.User{ID: id, Role: "user", Name: number})
	for _, admin := range []string{"front_desk", "dr_lee"} {
		stream.PutUser(streamtest.User{ID: admin, Role: "admin", Name: admin})
	}
	stream.PutChannel(streamtest.Channel{Type: "sms", ID: id, CreatedBy: "front_desk",
		Members: []string{id, "front_desk", "dr_lee"}, Custom: map[string]any{"sms_phone": number, "sms_opted_out": false}})
	return id
}

// deliverWithRetries pushes message.new for id as Stream does: up to 3
// attempts while the answer is a 408, 429 or 5xx.
func (h *harness) deliverWithRetries(id string) {
	for attempt := 1; attempt <= streamAttemptsOnStatus; attempt++ {
		r := h.deliver(id, attempt)
		if r.Status != http.StatusRequestTimeout && r.Status != http.StatusTooManyRequests && r.Status < 500 {
			return
		}
		time.Sleep(streamRetryPause)
	}
}

// remindUntilSent sends a reminder as a dashboard does: one Idempotency-Key,
// sent again after Retry-After while the answer is a 503.
func (a *apiHarness) remindUntilSent(token, key, number, text string) {
	a.secret(text)
	body := map[string]any{"phoneNumber": number, "messageText": text}
	for range 10 {
		r := a.call("/send-reminder", body, "Authorization", "Bearer "+token, "Idempotency-Key", key)
		if r.Status == http.StatusOK {
			return
		}
		if r.Status != http.StatusServiceUnavailable {
			a.t.Errorf("reminder: %d %s", r.Status, r.Body)
			return
		}
		if apiErrorCode(r) == "chat_rate_limited" && r.Header.Get("Retry-After") == "" {
			a.t.Errorf("chat_rate_limited without Retry-After")
		}
		wait, _ := strconv.Atoi(r.Header.Get("Retry-After"))
		time.Sleep(time.Duration(max(wait, 1)) * time.Second)
	}
	a.t.Errorf("a reminder was still refused after 10 tries")
}

// outbound is every reply and reminder the bridge wrote, by message id:
// every message in the patients' channels that carries sms_direction
// outbound.
func (h *harness) outbound() map[string]streamtest.Message {
	out := map[string]streamtest.Message{}
	for i := range burstPatients {
		for _, m := range h.stream.Messages("sms", strings.TrimPrefix(burstNumber(i), "+")) {
			if m.UserID == "front_desk" {
				out[m.ID] = m
			}
		}
	}
	return out
}

// waitAllDelivered waits for every reply and reminder to read delivered,
// as Twilio's callbacks, redelivered, leave them.
func (h *harness) waitAllDelivered(d time.Duration) {
	h.t.Helper()
	want := burstPatients * (burstReplies + burstReminders)
	waitFor(h.t, d, func() bool {
		msgs := h.outbound()
		for _, m := range msgs {
			if m.Custom["sms_status"] != "delivered" {
				return false
			}
		}
		return len(msgs) == want
	})
}

// checkInboundStoredOnce: every SMS Twilio took is in the chat once, and
// Twilio's last answer to each was 200.
func (h *harness) checkInboundStoredOnce(sent map[string]twiliotest.WebhookResult) {
	h.t.Helper()
	stored := map[string]int{}
	for i := range burstPatients {
		for _, m := range h.stream.Messages("sms", strings.TrimPrefix(burstNumber(i), "+")) {
			if m.Custom["sms_direction"] == "inbound" {
				stored[m.ID]++
			}
		}
	}
	for sid, res := range sent {
		if stored["sms-"+sid] != 1 || res.HTTP != http.StatusOK {
			h.t.Errorf("inbound %s: stored %d times, Twilio's last answer %d after %d attempts", sid, stored["sms-"+sid], res.HTTP, res.Attempts)
		}
	}
	if len(stored) != len(sent) {
		h.t.Errorf("%d inbound messages stored for %d SMS", len(stored), len(sent))
	}
}

// checkEachSentOnceAndDelivered: Twilio holds one SMS per reply and
// reminder, and each chat message names its SMS and reads delivered.
func (h *harness) checkEachSentOnceAndDelivered() {
	h.t.Helper()
	msgs := h.outbound()
	if want := burstPatients * (burstReplies + burstReminders); len(msgs) != want {
		h.t.Errorf("%d replies and reminders in the chat, want %d", len(msgs), want)
	}
	byText := map[string][]twiliotest.Message{}
	for _, m := range h.twilio.Messages() {
		if m.Direction == "outbound-api" {
			byText[m.Body] = append(byText[m.Body], m)
		}
	}
	for id, m := range msgs {
		sms := byText[m.Text]
		switch {
		case len(sms) != 1:
			h.t.Errorf("%s: sent %d times", id, len(sms))
		case m.Custom["sms_sid"] != sms[0].Sid || m.Custom["sms_status"] != "delivered":
			h.t.Errorf("%s: sms_sid %v, sms_status %v; want %s, delivered", id, m.Custom["sms_sid"], m.Custom["sms_status"], sms[0].Sid)
		}
	}
}
