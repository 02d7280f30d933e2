package twiliohook

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// The hot path of POST /receive-sms, piece by piece, without the network:
// go test -run '^$' -bench . -benchmem ./twiliohook

const benchToken = "benchtoken0123456789abcdef012345"

// benchInbound is a signed inbound-SMS webhook as Twilio sends it.
func benchInbound(b *testing.B) (body []byte, sig string) {
	b.Helper()
	form := twiliotest.InboundSMS("AC0123456789abcdef0123456789abcdef", "SM0123456789abcdef0123456789abcdef",
		"+12015550123", "+12015550100", "Yes, I will be there. See you on Tuesday.")
	return []byte(form.Encode()), twiliotest.Signature(benchToken, "https://smsbridge.example.org/receive-sms", form)
}

func BenchmarkVerifySignature(b *testing.B) {
	body, sig := benchInbound(b)
	v := NewVerifier(benchToken, "https://smsbridge.example.org")
	r := httptest.NewRequest("POST", "http://127.0.0.1/receive-sms", nil)
	r.Header.Set(SignatureHeader, sig)
	b.ReportAllocs()
	for b.Loop() {
		if !v.Verify(r, body) {
			b.Fatal("signature refused")
		}
	}
}

func BenchmarkDecodeInboundForm(b *testing.B) {
	body, _ := benchInbound(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := url.ParseQuery(string(body))
		if err != nil {
			b.Fatal(err)
		}
		if sms := decodeInbound(f); sms.MessageSid == "" {
			b.Fatal("no MessageSid")
		}
	}
}

// BenchmarkVerifiedForm is what the handler does before the relay: read,
// verify, parse.
func BenchmarkVerifiedForm(b *testing.B) {
	body, sig := benchInbound(b)
	v := NewVerifier(benchToken, "https://smsbridge.example.org")
	e := echo.New()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "http://127.0.0.1/receive-sms", strings.NewReader(string(body)))
		r.Header.Set(SignatureHeader, sig)
		c := e.NewContext(r, httptest.NewRecorder())
		if _, err := verifiedForm(c, v); err != nil {
			b.Fatal(err)
		}
	}
}
