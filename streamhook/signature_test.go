package streamhook

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSignIsWhatVerifyAccepts(t *testing.T) {
	body := []byte(`{"type":"health.check"}`)
	r := httptest.NewRequest("POST", "/stream-outgoing-sms", strings.NewReader(string(body)))
	r.Header.Set(SignatureHeader, Sign("secret", body))
	if _, err := NewVerifier("secret").Verify(r, body); err != nil {
		t.Errorf("a body signed with Sign is refused: %v", err)
	}
	if _, err := NewVerifier("another").Verify(r, body); err == nil {
		t.Error("a body signed with another secret verifies")
	}
	// Stream's documented form: hex HMAC-SHA256 of the body.
	if got := Sign("key", []byte("The quick brown fox jumps over the lazy dog")); got != "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Errorf("Sign = %s", got)
	}
}
