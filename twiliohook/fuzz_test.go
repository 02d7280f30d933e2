package twiliohook

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const fuzzToken = "fuzztoken0123456789abcdef012345"

// FuzzVerify holds that no body is accepted without a signature made with
// the auth token over exactly that body and URL, and that nothing panics.
func FuzzVerify(f *testing.F) {
	form := twiliotest.InboundSMS("AC0123456789abcdef0123456789abcdef", "SM1", "+12015550123", "+12015550100", "hi")
	f.Add(form.Encode(), "/receive-sms", twiliotest.Signature(fuzzToken, "https://b.example/receive-sms", form))
	f.Add("a=1&a=2&b", "/twilio-status?mid=x", "")
	f.Add("%zz=%", "/receive-sms", "AAAA")
	v := NewVerifier(fuzzToken, "https://b.example")
	f.Fuzz(func(t *testing.T, body, path, sig string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " #\r\n\t") {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return // not a request a server could receive
		}
		r := httptest.NewRequest("POST", "http://127.0.0.1"+path, strings.NewReader(body))
		r.Header.Set(SignatureHeader, sig)
		if !v.Verify(r, []byte(body)) {
			return
		}
		// Accepted: the signature must be the real one for this body, as
		// Twilio computes it (parameters sorted by name).
		params, err := url.ParseQuery(body)
		if err != nil {
			t.Fatalf("accepted a body that is not a form: %q", body)
		}
		want := twiliotest.Signature(fuzzToken, "https://b.example"+r.URL.RequestURI(), firstValues(params))
		if sig != want {
			t.Fatalf("accepted signature %q for %q, want %q", sig, body, want)
		}
	})
}

// firstValues keeps the first value of each name: what twilio-go signs.
func firstValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out.Set(k, vs[0])
	}
	return out
}

// FuzzDecodeInbound holds that any form decodes without panicking and never
// yields more media than Twilio sends.
func FuzzDecodeInbound(f *testing.F) {
	f.Add("From=%2B12015550123&MessageSid=SM1&Body=hi&NumMedia=1&MediaUrl0=https%3A%2F%2Fx&MediaContentType0=image%2Fjpeg")
	f.Add("NumMedia=99999999999999999999&MediaUrl5=x")
	f.Add("NumMedia=-3")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		sms := decodeInbound(form)
		if len(sms.Media) > maxMedia {
			t.Fatalf("%d media from %q", len(sms.Media), body)
		}
	})
}
