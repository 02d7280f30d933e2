package twiliotest_test

import (
	"io"
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// TestSignatureMatchesTwiliosPublishedVector pins Signature to the worked example of
// Twilio's webhook security guide (auth token 12345).
func TestSignatureMatchesTwiliosPublishedVector(t *testing.T) {
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+12349013030"},
		"Digits":  {"1234"},
		"From":    {"+12349013030"},
		"To":      {"+18005551212"},
	}
	got := twiliotest.Signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)
	if want := "0/KCTR6DLpKmkAf8muzZqo1nDgQ="; got != want {
		t.Errorf("Signature = %q, want %q", got, want)
	}
}

// single flattens a form for twilio-go's validator, which takes one value per name.
func single(f url.Values) map[string]string {
	m := map[string]string{}
	for k := range f {
		m[k] = f.Get(k)
	}
	return m
}

func TestSignatureAgreesWithTwilioGo(t *testing.T) {
	sid := twiliotest.NewMessageSid()
	tests := []struct {
		name string
		url  string
		form url.Values
	}{
		{"an inbound SMS", "https://bridge.example.com/receive-sms", twiliotest.InboundSMS(testAccount, sid, patient, clinic, "Yes, 3pm works")},
		{"an inbound SMS with retry settings in the query", "https://bridge.example.com/receive-sms?rc=3", twiliotest.InboundSMS(testAccount, sid, patient, clinic, "STOP")},
		{"a delivery failure", "https://bridge.example.com/twilio-status?mid=abc-123", twiliotest.StatusCallback(testAccount, sid, "undelivered", 30003)},
		{"an empty form", "https://bridge.example.com/twilio-status", url.Values{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := twiliotest.Signature(testToken, tt.url, tt.form)
			v := client.NewRequestValidator(testToken)
			if !v.Validate(tt.url, single(tt.form), sig) {
				t.Errorf("twilio-go rejects %q", sig)
			}
			other := client.NewRequestValidator("another-token")
			if other.Validate(tt.url, single(tt.form), sig) {
				t.Error("twilio-go accepts the signature under another token")
			}
		})
	}
}

func TestNewSignedRequestSignsThePublicURLAndTargetsTheTestServer(t *testing.T) {
	form := twiliotest.InboundSMS(testAccount, twiliotest.NewMessageSid(), patient, clinic, "Hello")
	req, err := twiliotest.NewSignedRequest(testToken, "https://bridge.example.com", "http://127.0.0.1:8080",
		"/receive-sms?x=1#rc=3&rp=5xx", form)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL.String() != "http://127.0.0.1:8080/receive-sms?x=1" {
		t.Errorf("request %s %s", req.Method, req.URL)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
	body, _ := io.ReadAll(req.Body)
	sent, err := url.ParseQuery(string(body))
	if err != nil || sent.Get("Body") != "Hello" || len(sent) != len(form) {
		t.Errorf("body = %q (%v)", body, err)
	}
	v := client.NewRequestValidator(testToken)
	if !v.Validate("https://bridge.example.com/receive-sms?x=1", single(sent), req.Header.Get("X-Twilio-Signature")) {
		t.Error("the signature does not validate over PUBLIC_URL + path and query")
	}
}

// FuzzSignatureAgreesWithTwilioGo cross-checks Signature with twilio-go's validator. The
// parameter names are fixed and none is a prefix of another: twilio-go sorts name+value
// strings where Twilio's documentation sorts names, and the two orders differ only there.
func FuzzSignatureAgreesWithTwilioGo(f *testing.F) {
	f.Add("https://bridge.example.com/receive-sms", "Hello", "+12015550123", "12345")
	f.Add("https://mycompany.com/myapp.php?foo=1&bar=2", "", "", "")
	f.Add("http://h:8080/p?q=ü", "€ {}", "whatsapp:+447946000123", "tok")
	f.Fuzz(func(t *testing.T, rawURL, body, from, token string) {
		form := url.Values{"AccountSid": {testAccount}, "Body": {body}, "From": {from}, "MessageSid": {"SM1"}, "To": {clinic}}
		sig := twiliotest.Signature(token, rawURL, form)
		v := client.NewRequestValidator(token)
		if !v.Validate(rawURL, single(form), sig) {
			t.Errorf("twilio-go rejects the signature of %q", rawURL)
		}
	})
}
