package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const formType = "application/x-www-form-urlencoded"

func TestHostileRequestsToTheTwilioWebhooks(t *testing.T) {
	noLeaks(t)
	h := start(t)
	h.secret("2015550150", "2015550142", "odd but genuine message")
	sid := twiliotest.NewMessageSid
	valid := twilioForm(sid(), nil)
	forged := http.Header{"X-Twilio-Signature": {twiliotest.Signature("not-the-token", publicURL+"/receive-sms", mustQuery(valid))}}
	cases := []hostile{
		{name: "a GET of the inbound webhook", method: http.MethodGet, path: "/receive-sms", want: []int{405}, code: "method_not_allowed"},
		{name: "a signed PUT of the inbound webhook", method: http.MethodPut, path: "/receive-sms", contentType: formType, body: valid, sign: signTwilio, want: []int{405}},
		{name: "an unsigned form", path: "/receive-sms", contentType: formType, body: valid, want: []int{403}, code: "bad_signature"},
		{name: "a form signed with another token", path: "/receive-sms", contentType: formType, body: valid, header: forged, want: []int{403}, code: "bad_signature"},
		{name: "a signed form sent as JSON", path: "/receive-sms", contentType: "application/json", body: twilioForm(sid(), nil), sign: signTwilio, want: []int{200, 400, 415}},
		{name: "a signed form without a content type", path: "/receive-sms", body: twilioForm(sid(), nil), sign: signTwilio, want: []int{200, 400, 415}},
		{name: "a signed JSON body", path: "/receive-sms", contentType: "application/json", body: []byte(`{"From":"+12015550150","MessageSid":"SM1"}`), sign: signTwilio, want: []int{400, 403, 415}},
		{name: "a signed but broken form encoding", path: "/receive-sms", contentType: formType, body: []byte("From=%zz&MessageSid=SM1&Body=%"), sign: signTwilio, want: []int{400, 403}},
		{name: "a signed form with repeated keys", path: "/receive-sms", contentType: formType, body: append(twilioForm(sid(), nil), "&From=%2B12015550151&MessageSid=SMother"...), sign: signTwilio, want: []int{200, 400, 403}},
		{name: "a signed form whose text is not UTF-8", path: "/receive-sms", contentType: formType, body: append(twilioForm(sid(), map[string]string{"Body": ""}), "&Body=%FF%FE%C3%28"...), sign: signTwilio, want: []int{200}},
		{name: "a signed form with a header injection in From", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": "+12015550142\r\nX-Injected: 1"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form from a whatsapp: sender", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": "whatsapp:+12015550142"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form from a short code", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": "72345"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form from an alphanumeric sender", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": "CLINICINFO"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form from a UK number", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": "+442079460123"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form from a sender of punctuation only", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": "+-- --"}), sign: signTwilio, want: []int{400}, code: "invalid_sender"},
		{name: "a signed form from a 300-letter sender", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"From": strings.Repeat("a", 300)}), sign: signTwilio, want: []int{200, 400}},
		{name: "a signed form with an odd MessageSid", path: "/receive-sms", contentType: formType, body: twilioForm("SM../../admin?x=1", nil), sign: signTwilio, want: []int{200, 400}},
		{name: "a signed form with a 200-character MessageSid", path: "/receive-sms", contentType: formType, body: twilioForm("SM"+strings.Repeat("f", 198), nil), sign: signTwilio, want: []int{200, 400}},
		{name: "a signed form with a huge NumMedia", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"NumMedia": "99999999999999999999"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form with a negative NumMedia", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"NumMedia": "-5"}), sign: signTwilio, want: []int{200}},
		{name: "a signed form with a media URL that is not a URL", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"NumMedia": "1", "MediaUrl0": "javascript:alert(1)", "MediaContentType0": "image/png\r\nX-Injected: 1"}), sign: signTwilio, want: []int{200, 400}},
		{name: "a signed empty form", path: "/receive-sms", contentType: formType, body: nil, sign: signTwilio, want: []int{400}},
		{name: "a signed form over 64 KiB", path: "/receive-sms", contentType: formType, body: twilioForm(sid(), map[string]string{"Body": strings.Repeat("a", 70<<10)}), sign: signTwilio, want: []int{413}, code: "too_large"},

		{name: "a GET of the status callback", method: http.MethodGet, path: "/twilio-status?mid=reply-1", want: []int{405}},
		{name: "an unsigned status callback", path: "/twilio-status?mid=reply-1", contentType: formType, body: statusForm("delivered", ""), want: []int{403}, code: "bad_signature"},
		{name: "a signed status callback without mid", path: "/twilio-status", contentType: formType, body: statusForm("delivered", ""), sign: signTwilio, want: []int{200}},
		{name: "a signed status callback for an unknown mid", path: "/twilio-status?mid=no-such-message", contentType: formType, body: statusForm("delivered", ""), sign: signTwilio, want: []int{200}},
		{name: "a signed status callback with a path in mid", path: "/twilio-status?mid=" + url.QueryEscape("../channels/sms/other"), contentType: formType, body: statusForm("delivered", ""), sign: signTwilio, want: []int{200, 400}},
		{name: "a signed status callback with mid twice", path: "/twilio-status?mid=a&mid=b", contentType: formType, body: statusForm("delivered", ""), sign: signTwilio, want: []int{200, 400}},
		{name: "a signed status callback with an unknown status", path: "/twilio-status?mid=reply-1", contentType: formType, body: statusForm("<script>", ""), sign: signTwilio, want: []int{200}},
		{name: "a signed status callback with a non-numeric error code", path: "/twilio-status?mid=reply-1", contentType: formType, body: statusForm("failed", "abc"), sign: signTwilio, want: []int{200}},
		{name: "a signed status callback whose status is not UTF-8", path: "/twilio-status?mid=reply-1", contentType: formType, body: []byte("MessageSid=SM1&MessageStatus=%FF%FE"), sign: signTwilio, want: []int{200}},
	}
	h.runHostile(t, cases)
	if n := h.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0: webhooks never send", n)
	}
}

func TestSignedOddSendersLandInAChannelOfTheirOwn(t *testing.T) {
	noLeaks(t)
	h := start(t)
	for _, tc := range []struct{ name, from, channel string }{
		{"a header injection attempt is not the patient's number", "+12015550142\r\nX-Injected: 1",
			bridge.SenderPhone("+12015550142\r\nX-Injected: 1").ChannelID()},
		{"a whatsapp: sender", "whatsapp:+12015550142", "wa_12015550142"},
		{"a short code", "72345", bridge.SenderPhone("72345").ChannelID()},
		{"a number in another notation", "+1 201 555 0142", bridge.SenderPhone("+1 201 555 0142").ChannelID()},
		{"a UK number", "+442079460123", "442079460123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: tc.from, Body: "odd sender's text"}))
			if n := len(h.stream.Messages("sms", tc.channel)); n != 1 {
				t.Errorf("messages in channel %q = %d, want 1", tc.channel, n)
			}
		})
	}
}

func TestHostileRequestsToTheStreamWebhook(t *testing.T) {
	noLeaks(t)
	h := startWithPatient(t)
	h.write(reply{ID: "inj-1", ChannelID: "12015550142\r\nX-Injected: 1", Author: "front_desk", Text: "injected channel reply"})
	injected, _ := h.stream.MessageNewEvent("inj-1")
	many := make([]streamtest.Attachment, 200)
	for i := range many {
		many[i] = streamtest.Attachment{Type: "image", ImageURL: "https://cdn.example.org/x.png"}
	}
	h.write(reply{ID: "many-1", ChannelID: "12015550123", Author: "front_desk", Text: "two hundred pictures", Attachments: many})
	manyMedia, _ := h.stream.MessageNewEvent("many-1")
	h.write(adminReply("plain-1", "A reply sent as text/plain"))
	plain, _ := h.stream.MessageNewEvent("plain-1")
	h.write(adminReply("attempt-1", "A reply with an odd attempt header"))
	oddAttempt, _ := h.stream.MessageNewEvent("attempt-1")
	bomb := make([]byte, 2<<20)
	attempt := func(v string) http.Header { return http.Header{"X-Webhook-Attempt": {v}} }
	const js = "application/json"
	cases := []hostile{
		{name: "a GET of the webhook", method: http.MethodGet, path: "/stream-outgoing-sms", want: []int{405}},
		{name: "an unsigned event", path: "/stream-outgoing-sms", contentType: js, body: plain, want: []int{401}, code: "bad_signature"},
		{name: "an event signed with another secret", path: "/stream-outgoing-sms", contentType: js, body: plain, header: http.Header{"X-Signature": {streamtest.Sign("another-secret", plain)}}, want: []int{401}},
		{name: "a signed body that is not JSON", path: "/stream-outgoing-sms", contentType: js, body: []byte(`{"type":"message.new",`), sign: signStream(nil), want: []int{400}, code: "bad_json"},
		{name: "a signed JSON array", path: "/stream-outgoing-sms", contentType: js, body: []byte(`[]`), sign: signStream(nil), want: []int{400}, code: "bad_json"},
		{name: "a signed event whose message is a string", path: "/stream-outgoing-sms", contentType: js, body: []byte(`{"type":"message.new","message":"hi"}`), sign: signStream(nil), want: []int{400}},
		{name: "a signed event nested 20000 levels deep", path: "/stream-outgoing-sms", contentType: js, body: nested(20000), sign: signStream(nil), want: []int{400}},
		{name: "a signed event over 64 KiB", path: "/stream-outgoing-sms", contentType: js, body: []byte(`{"type":"` + strings.Repeat("x", 70<<10) + `"}`), sign: signStream(nil), want: []int{413}, code: "too_large"},
		{name: "a signed gzip bomb", path: "/stream-outgoing-sms", contentType: js, body: gzipOf(bomb), header: http.Header{"Content-Encoding": {"gzip"}}, sign: signStream(bomb), want: []int{413}},
		{name: "a body that claims gzip but is not", path: "/stream-outgoing-sms", contentType: js, body: plain, header: http.Header{"Content-Encoding": {"gzip"}}, sign: signStream(nil), want: []int{400}, code: "bad_gzip"},
		{name: "a signed event with an unknown message", path: "/stream-outgoing-sms", contentType: js, body: []byte(`{"type":"message.new","channel_type":"sms","channel_id":"12015550123","message":{"id":"ghost","text":"boo","user":{"id":"front_desk","role":"admin"}}}`), sign: signStream(nil), want: []int{200, 404}},
		{name: "a signed event with no message", path: "/stream-outgoing-sms", contentType: js, body: []byte(`{"type":"message.new","channel_type":"sms","channel_id":"12015550123"}`), sign: signStream(nil), want: []int{200}},
		{name: "a signed event for a channel id with a header injection", path: "/stream-outgoing-sms", contentType: js, body: injected, sign: signStream(nil), want: []int{200}},
		{name: "a signed event with 200 attachments", path: "/stream-outgoing-sms", contentType: js, body: manyMedia, sign: signStream(nil), want: []int{200}},
		{name: "a signed event sent as text/plain", path: "/stream-outgoing-sms", contentType: "text/plain", body: plain, sign: signStream(nil), want: []int{200, 400, 415}},
		{name: "a signed redelivery with a garbage attempt number", path: "/stream-outgoing-sms", contentType: js, body: oddAttempt, header: attempt("-99999999999999999999"), sign: signStream(nil), want: []int{200}},
	}
	h.runHostile(t, cases)
	sent := map[string]int{}
	for _, m := range h.twilio.Messages() {
		sent[m.Body]++
	}
	for body, n := range sent {
		if n > 1 {
			t.Errorf("one reply (%d characters) was sent %d times", len(body), n)
		}
	}
	for _, id := range []string{"inj-1", "many-1"} {
		if m, _ := h.stream.Message(id); m.Custom["sms_sid"] != nil && m.Custom["sms_status"] == nil {
			t.Errorf("%s marked %v", id, m.Custom)
		}
	}
}

// A captured webhook, replayed: its body and signature are genuine, but
// X-Webhook-Attempt is not covered by the signature, so it may say 1.
func TestAReplayedSignedWebhookSendsNothingTwice(t *testing.T) {
	for _, tc := range []struct {
		name    string
		attempt string // "" leaves the header out
	}{
		{"a replay that says it is the first attempt", "1"},
		{"a replay without an attempt header", ""},
		{"a replay with a garbage attempt header", "first"},
		{"a replay that says it is a retry", "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startWithPatient(t)
			h.write(adminReply("reply-1", "See you on Thursday at ten"))
			captured, _ := h.stream.MessageNewEvent("reply-1")
			assertEmptyOK(t, h.deliver("reply-1", 1))
			r := h.deliver("reply-1", 1, func(req *http.Request, body *[]byte) {
				*body = captured
				req.Header.Set("X-Signature", streamtest.Sign(streamSecret, captured))
				req.Header.Set("X-Webhook-Id", "wh-replayed")
				if req.Header.Del("X-Webhook-Attempt"); tc.attempt != "" {
					req.Header.Set("X-Webhook-Attempt", tc.attempt)
				}
			})
			if r.Status != http.StatusOK {
				t.Errorf("replay answered %d %s, want 200 (nothing to do)", r.Status, r.Body)
			}
			if n := len(h.twilio.MessagesTo(patient)); n != 1 {
				t.Errorf("SMS sent = %d, want 1", n)
			}
		})
	}
}

func statusForm(status, errorCode string) []byte {
	f := twiliotest.StatusCallback(twilioSID, "SM0123456789abcdef0123456789abcdef", status, 0)
	if errorCode != "" {
		f.Set("ErrorCode", errorCode)
	}
	return []byte(f.Encode())
}

func mustQuery(b []byte) url.Values {
	v, _ := url.ParseQuery(string(b))
	return v
}
