package streamhook

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

const fuzzSecret = "fuzz-stream-secret"

// FuzzVerify holds that no body is accepted unless its signature is the
// HMAC of exactly that (unpacked) body with the app secret.
func FuzzVerify(f *testing.F) {
	body := []byte(`{"type":"message.new","message":{"id":"m1","text":"hi"}}`)
	f.Add(body, streamtest.Sign(fuzzSecret, body), false)
	f.Add(body, "", true)
	f.Add([]byte{0x1f, 0x8b, 0x08}, "00", true)
	v := NewVerifier(fuzzSecret)
	f.Fuzz(func(t *testing.T, raw []byte, sig string, gz bool) {
		r := httptest.NewRequest("POST", "/stream-outgoing-sms", bytes.NewReader(raw))
		r.Header.Set(SignatureHeader, sig)
		if gz {
			r.Header.Set("Content-Encoding", "gzip")
		}
		signed, err := v.Verify(r, raw)
		if err != nil {
			return
		}
		if want := streamtest.Sign(fuzzSecret, signed); want != sig && want != lower(sig) {
			t.Fatalf("accepted %q for a body signed %q", sig, want)
		}
		if !gz && !bytes.Equal(signed, raw) {
			t.Fatal("plain body changed")
		}
	})
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

// FuzzDecodeEvent holds that any JSON decodes into a bridge event without
// panicking, and that a message carrying sms_direction is always marked.
func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(`{"type":"message.new","channel_type":"sms","channel_id":"12015550123","message":{"id":"m","text":"t","user":{"id":"a","role":"admin"},"attachments":[{"image_url":"https://x"}]}}`))
	f.Add([]byte(`{"message":{"sms_direction":"inbound"}}`))
	f.Add([]byte(`{"message":{"custom":{"sms_direction":null},"deleted_at":"2026-01-01T00:00:00Z"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var e event
		if json.Unmarshal(body, &e) != nil {
			return
		}
		ev := e.toBridge(1)
		if present(e.Message.SMSDirection) && !ev.Message.Marked {
			t.Fatalf("sms_direction present but not marked: %s", body)
		}
	})
}
