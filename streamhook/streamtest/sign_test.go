package streamtest

import (
	"testing"

	stream "github.com/GetStream/stream-chat-go/v6"
)

func TestSignMatchesStreamsWebhookSignature(t *testing.T) {
	body := []byte(`{"type":"message.new","cid":"sms:12015550123","message":{"id":"m1","text":"Hi"}}`)
	c, err := stream.NewClient(testKey, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	sig := Sign(testSecret, body)
	if !c.VerifyWebhook(body, []byte(sig)) {
		t.Errorf("stream-chat-go does not accept Sign's signature %s", sig)
	}
	if c.VerifyWebhook(append(body, ' '), []byte(sig)) {
		t.Error("the signature also matches another body")
	}
	// HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the
	// published test vector.
	if got := Sign("key", []byte("The quick brown fox jumps over the lazy dog")); got != "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Errorf("Sign(test vector) = %s", got)
	}
}
