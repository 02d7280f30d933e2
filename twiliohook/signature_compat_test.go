package twiliohook

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/twilio/twilio-go/client"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Verifier computes signatures itself (it is on every inbound SMS's path);
// these tests hold that it accepts exactly what twilio-go's validator does.

const compatToken = "compattoken0123456789abcdef0123"

// sameAsTwilioGo verifies body at publicURL+path both ways and fails the
// test when the answers differ. It returns the Verifier's answer.
func sameAsTwilioGo(t *testing.T, publicURL, path, body, sig string) bool {
	t.Helper()
	r := httptest.NewRequest("POST", "http://127.0.0.1:8080"+path, strings.NewReader(body))
	if sig != "" {
		r.Header.Set(SignatureHeader, sig)
	}
	got := NewVerifier(compatToken, publicURL).Verify(r, []byte(body))
	reference := client.NewRequestValidator(compatToken)
	want := sig != "" && reference.ValidateBody(publicURL+r.URL.RequestURI(), []byte(body), sig)
	if got != want {
		t.Errorf("Verifier says %v, twilio-go says %v (url %s%s, body %q)", got, want, publicURL, path, body)
	}
	return got
}

func TestVerifierAcceptsWhatTwilioGoAccepts(t *testing.T) {
	form := twiliotest.InboundSMS("AC0123456789abcdef0123456789abcdef", "SM1", "+12015550123", "+12015550100", "See you")
	body := form.Encode()
	repeated := url.Values{"MediaUrl0": {"https://a.example/1", "https://a.example/2"}, "From": {"+12015550123"}}
	tests := []struct {
		name, publicURL, path, body string
		signedURL                   string
		signed                      url.Values
		want                        bool
	}{
		{"a signature over the URL as configured", "https://b.example", "/receive-sms", body,
			"https://b.example/receive-sms", form, true},
		{"a signature over the URL with the default port", "https://b.example", "/receive-sms", body,
			"https://b.example:443/receive-sms", form, true},
		{"a configured port, signed without it", "https://b.example:8443", "/receive-sms", body,
			"https://b.example/receive-sms", form, true},
		{"a configured path prefix", "https://b.example/sms", "/sms/receive-sms", body,
			"https://b.example/sms/sms/receive-sms", form, true},
		{"a status callback with its query", "https://b.example", "/twilio-status?mid=reply-1", body,
			"https://b.example/twilio-status?mid=reply-1", form, true},
		{"a signature over another port", "https://b.example", "/receive-sms", body,
			"https://b.example:8443/receive-sms", form, false},
		{"a signature over another path", "https://b.example", "/receive-sms", body,
			"https://b.example/twilio-status", form, false},
		{"a repeated parameter, signed with its first value", "https://b.example", "/receive-sms", repeated.Encode(),
			"https://b.example/receive-sms", url.Values{"MediaUrl0": {"https://a.example/1"}, "From": {"+12015550123"}}, true},
		{"a repeated parameter, signed with its second value", "https://b.example", "/receive-sms", repeated.Encode(),
			"https://b.example/receive-sms", url.Values{"MediaUrl0": {"https://a.example/2"}, "From": {"+12015550123"}}, false},
		{"a body that is not a form", "https://b.example", "/receive-sms", "%zz=1",
			"https://b.example/receive-sms", url.Values{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := twiliotest.Signature(compatToken, tt.signedURL, tt.signed)
			if got := sameAsTwilioGo(t, tt.publicURL, tt.path, tt.body, sig); got != tt.want {
				t.Errorf("accepted %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzVerifierMatchesTwilioGo signs random forms at random URLs, with and
// without the default port, and holds both validators to the same answer.
func FuzzVerifierMatchesTwilioGo(f *testing.F) {
	f.Add("From=%2B12015550123&Body=hi", "/receive-sms", "", true)
	f.Add("a=1&a=2&b=", "/twilio-status?mid=x%20y", ":443", true)
	f.Add("Body=%E2%9C%93&To=1", "/receive-sms", ":8443", false)
	f.Fuzz(func(t *testing.T, body, path, port string, signIt bool) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " #\r\n\t") {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return
		}
		if port != "" && port != ":443" && port != ":8443" {
			return
		}
		sig := "AAAA"
		if params, err := url.ParseQuery(body); err == nil && signIt {
			first := url.Values{}
			for k, v := range params {
				first.Set(k, v[0])
			}
			r := httptest.NewRequest("POST", "http://127.0.0.1"+path, nil)
			sig = twiliotest.Signature(compatToken, "https://b.example"+port+r.URL.RequestURI(), first)
		}
		sameAsTwilioGo(t, "https://b.example", path, body, sig)
	})
}
