package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// startWithPatient starts the service and lets the patient text first, so
// their channel exists as it would in production.
func startWithPatient(t *testing.T, opts ...option) *harness {
	t.Helper()
	h := start(t, opts...)
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Hi, this is the patient"}))
	return h
}

func adminReply(id, text string) reply {
	return reply{ID: id, ChannelID: "12015550123", Author: "front_desk", Text: text}
}

func assertEmptyOK(t *testing.T, r response) {
	t.Helper()
	if r.Status != http.StatusOK || strings.TrimSpace(r.Body) != "{}" {
		t.Fatalf("answer = %d %s, want 200 {}", r.Status, r.Body)
	}
}

func TestAnAdminReplyReachesThePatientAndIsMarked(t *testing.T) {
	h := startWithPatient(t)
	r := adminReply("reply-1", "Your appointment is confirmed for 3pm")
	r.Attachments = []streamtest.Attachment{{Type: "image", ImageURL: "https://cdn.example.org/map.png"},
		{Type: "file", AssetURL: "https://cdn.example.org/prep.pdf"}}
	h.write(r)

	began := time.Now()
	assertEmptyOK(t, h.deliver("reply-1", 1))
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("answered after %v, want within 5 s", d)
	}
	sent := h.twilio.Messages()
	if len(sent) != 1 {
		t.Fatalf("Twilio messages = %d, want 1", len(sent))
	}
	m := sent[0]
	if m.To != patient || m.From != clinicNumber || m.Body != "Your appointment is confirmed for 3pm" ||
		strings.Join(m.MediaURLs, " ") != "https://cdn.example.org/map.png https://cdn.example.org/prep.pdf" ||
		m.StatusCallback != publicURL+"/twilio-status?mid=reply-1#rc=5&rp=ct,rt,5xx" {
		t.Errorf("Twilio message = %+v", m)
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_sid"] != m.Sid || stored.Custom["sms_status"] != "queued" || stored.Custom["sms_direction"] != "outbound" {
		t.Errorf("chat marks = %v", stored.Custom)
	}
}

func TestMessagesTheBridgeMustNotSend(t *testing.T) {
	tests := []struct {
		name string
		r    reply
	}{
		{"a patient's own message", reply{Author: "12015550123", Role: "user", Text: "patient typed this"}},
		{"an inbound SMS the bridge posted", reply{Author: "12015550123", Role: "user", Text: "inbound copy", Custom: map[string]any{"sms_direction": "inbound"}}},
		{"a reminder the bridge mirrored", reply{Author: "front_desk", Text: "reminder copy", Custom: map[string]any{"sms_direction": "outbound", "sms_origin": "reminder"}}},
		{"a message in another channel type", reply{ChannelType: "messaging", Author: "front_desk", Text: "team chat"}},
		{"a system message", reply{Author: "front_desk", Text: "channel created", Type: "system"}},
		{"an ephemeral message", reply{Author: "front_desk", Text: "giphy preview", Type: "ephemeral"}},
		{"a deleted message", reply{Author: "front_desk", Text: "deleted", Type: "deleted"}},
		{"a silent message", reply{Author: "front_desk", Text: "silent note", Silent: true}},
		{"a moderator's message", reply{Author: "mod_1", Role: "moderator", Text: "moderator note"}},
	}
	h := startWithPatient(t)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.ID = "skip-" + string(rune('a'+i))
			tc.r.ChannelID = "12015550123"
			h.write(tc.r)
			assertEmptyOK(t, h.deliver(tc.r.ID, 1))
		})
	}
	h.write(adminReply("other-event", "edited text"))
	body, _ := h.stream.MessageNewEvent("other-event")
	updated := strings.Replace(string(body), `"type":"message.new"`, `"type":"message.updated"`, 1)
	r := h.post("/stream-outgoing-sms", "application/json", []byte(updated),
		http.Header{"X-Signature": {streamtest.Sign(streamSecret, []byte(updated))}})
	assertEmptyOK(t, r)
	if n := h.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
}

func TestBadStreamSignaturesAre401(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", "Please bring your insurance card"))
	for name, sig := range map[string]string{
		"missing":             "",
		"wrong key":           streamtest.Sign("another-secret", []byte("{}")),
		"signed another body": streamtest.Sign(streamSecret, []byte(`{"type":"message.new"}`)),
		"not hex":             "zz",
	} {
		t.Run(name, func(t *testing.T) {
			if r := h.deliver("reply-1", 1, signedWith(sig)); r.Status != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", r.Status)
			}
		})
	}
	if n := h.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
}

func TestGzipWebhooksAreUnpackedBeforeTheSignatureCheck(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", "Compressed reply for you"))
	assertEmptyOK(t, h.deliver("reply-1", 1, gzipped))
	if n := len(h.twilio.Messages()); n != 1 {
		t.Errorf("Twilio messages = %d, want 1", n)
	}
}

func TestTwilioOutagesAre503AndTheRetrySendsOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault twiliotest.Fault
	}{
		{"Twilio answers 500", twiliotest.Fault{Status: 500}},
		{"Twilio rate-limits", twiliotest.Fault{Status: 429, Header: http.Header{"Retry-After": {"1"}}}},
		{"Twilio is too slow", twiliotest.Fault{Delay: 10 * time.Second}},
		{"Twilio sends but answers 500", twiliotest.Fault{Status: 500, Apply: true}},
		{"Twilio sends but the connection resets", twiliotest.Fault{Reset: true, Apply: true}},
		{"Twilio sends but answers after the bridge gave up", twiliotest.Fault{Delay: 10 * time.Second, Apply: true}},
		{"Twilio sends, then resets after the bridge gave up", twiliotest.Fault{Delay: 10 * time.Second, Apply: true, Reset: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startWithPatient(t)
			h.write(adminReply("reply-1", "We moved your visit to Monday"))
			h.twilio.FailNext(twiliotest.OpCreateMessage, 1, tc.fault)
			began := time.Now()
			if r := h.deliver("reply-1", 1); r.Status != http.StatusServiceUnavailable {
				t.Fatalf("status = %d %s, want 503", r.Status, r.Body)
			}
			if d := time.Since(began); d > 5*time.Second {
				t.Errorf("answered after %v, want within 5 s", d)
			}
			if stored, _ := h.stream.Message("reply-1"); stored.Custom["sms_status"] != "pending" {
				t.Errorf("between attempts sms_status = %v, want pending", stored.Custom["sms_status"])
			}
			assertEmptyOK(t, h.deliver("reply-1", 2)) // Stream's retry, Twilio recovered
			assertEmptyOK(t, h.deliver("reply-1", 3)) // a late duplicate retry
			if n := len(h.twilio.Messages()); n != 1 {
				t.Errorf("SMS sent = %d, want exactly 1", n)
			}
			stored, _ := h.stream.Message("reply-1")
			if sent := h.twilio.Messages(); len(sent) == 1 && stored.Custom["sms_sid"] != sent[0].Sid {
				t.Errorf("reply marked %v, want the sid of the one SMS %s", stored.Custom["sms_sid"], sent[0].Sid)
			}
			if _, ok := stored.Custom["sms_error"]; ok {
				t.Errorf("the pending reason was not cleared: %v", stored.Custom)
			}
		})
	}
}

func TestAnOptedOutPatientMarksTheReplyFailed(t *testing.T) {
	h := startWithPatient(t)
	h.twilio.FailTo(patient, twiliotest.Error{Code: 21610})
	h.write(adminReply("reply-1", "Are you still coming today?"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_status"] != "failed" || stored.Custom["sms_error_code"] != float64(21610) ||
		stored.Custom["sms_error"] != bridge.ErrorSentence(21610) {
		t.Errorf("marks = %v", stored.Custom)
	}
	ch, _ := h.stream.Channel("sms", "12015550123")
	if ch.Custom["sms_opted_out"] != true {
		t.Errorf("channel sms_opted_out = %v", ch.Custom["sms_opted_out"])
	}
}

func TestTextOver1600CharactersIsMarkedTooLong(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", strings.Repeat("x", 1601)))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_error_code"] != "too_long" || stored.Custom["sms_status"] != "failed" || h.twilio.Calls() != 0 {
		t.Errorf("marks = %v, Twilio calls %d", stored.Custom, h.twilio.Calls())
	}
}

// statusCallback delivers Twilio's status callback for sid, signed for the
// URL the bridge gave Twilio.
func (h *harness) statusCallback(mid, sid, status string, errorCode int) response {
	h.t.Helper()
	h.twilio.SetStatus(sid, status, errorCode)
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, h.urls[0], "/twilio-status?mid="+url.QueryEscape(mid), h.twilio.StatusCallbackFor(sid))
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(req)
}

func TestStatusCallbacksNeverMoveBackwards(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sid := h.twilio.Messages()[0].Sid
	for _, status := range []string{"sent", "delivered", "sent"} {
		if r := h.statusCallback("reply-1", sid, status, 0); r.Status != http.StatusOK {
			t.Fatalf("%s callback: %d %s", status, r.Status, r.Body)
		}
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_status"] != "delivered" {
		t.Errorf("status = %v, want delivered", stored.Custom["sms_status"])
	}
}

func TestUndeliveredCarriesTheCodeAndAPlainReason(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sid := h.twilio.Messages()[0].Sid
	if r := h.statusCallback("reply-1", sid, "undelivered", 30003); r.Status != http.StatusOK {
		t.Fatalf("callback: %d", r.Status)
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_status"] != "undelivered" || stored.Custom["sms_error_code"] != float64(30003) ||
		stored.Custom["sms_error"] != bridge.ErrorSentence(30003) {
		t.Errorf("marks = %v", stored.Custom)
	}
}

func TestStatusCallbacksForUnknownMessagesAreIgnored(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sid := h.twilio.Messages()[0].Sid
	if r := h.statusCallback("no-such-message", sid, "delivered", 0); r.Status != http.StatusOK {
		t.Errorf("status = %d, want 200", r.Status)
	}
}

func TestBadlySignedStatusCallbacksAre403(t *testing.T) {
	h := startWithPatient(t)
	h.write(adminReply("reply-1", "Lab results are ready"))
	assertEmptyOK(t, h.deliver("reply-1", 1))
	sid := h.twilio.Messages()[0].Sid
	h.twilio.SetStatus(sid, "delivered", 0)
	form := h.twilio.StatusCallbackFor(sid)
	// Signed for another message id: the mid is part of what Twilio signs.
	req, _ := twiliotest.NewSignedRequest(twilioToken, publicURL, h.urls[0], "/twilio-status?mid=reply-1", form)
	req.URL.RawQuery = "mid=reply-2"
	if r := h.do(req); r.Status != http.StatusForbidden {
		t.Errorf("status = %d, want 403", r.Status)
	}
	stored, _ := h.stream.Message("reply-1")
	if stored.Custom["sms_status"] != "queued" {
		t.Errorf("status changed to %v by a forged callback", stored.Custom["sms_status"])
	}
}
