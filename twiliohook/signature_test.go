package twiliohook

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Twilio's published example (twilio-go's and Twilio's security docs' test
// vector): auth token 12345, URL https://mycompany.com/myapp.php?foo=1&bar=2.
var vectorForm = url.Values{
	"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
	"Caller": {"+14158675309"}, "From": {"+14158675309"}, "ReasonConferenceEnded": {"test"}, "Reason": {"Participant"},
}

const vectorSignature = "vOEb5UThFn24KEfnOFLQY2AE5FY="

func vectorRequest(sig string) (*http.Request, []byte) {
	body := []byte(vectorForm.Encode())
	r := httptest.NewRequest("POST", "http://10.1.2.3:8080/myapp.php?foo=1&bar=2", strings.NewReader(string(body)))
	if sig != "" {
		r.Header.Set(SignatureHeader, sig)
	}
	return r, body
}

func TestVerifierMatchesTwiliosPublishedVector(t *testing.T) {
	v := NewVerifier("12345", "https://mycompany.com")
	r, body := vectorRequest(vectorSignature)
	if !v.Verify(r, body) {
		t.Fatal("published test vector rejected")
	}
}

func TestVerifierRejects(t *testing.T) {
	tests := []struct {
		name      string
		token     string
		publicURL string
		sig       string
		mutate    func([]byte) []byte
	}{
		{"a missing signature", "12345", "https://mycompany.com", "", nil},
		{"another account's token", "54321", "https://mycompany.com", vectorSignature, nil},
		{"a signature made for another URL", "12345", "https://attacker.example", vectorSignature, nil},
		{"a changed body", "12345", "https://mycompany.com", vectorSignature, func(b []byte) []byte {
			return []byte(strings.Replace(string(b), "Digits=1234", "Digits=9999", 1))
		}},
		{"an added parameter", "12345", "https://mycompany.com", vectorSignature, func(b []byte) []byte {
			return append(b, []byte("&Body=hi")...)
		}},
		{"garbage", "12345", "https://mycompany.com", "not base64!", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, body := vectorRequest(tc.sig)
			if tc.mutate != nil {
				body = tc.mutate(body)
			}
			if NewVerifier(tc.token, tc.publicURL).Verify(r, body) {
				t.Error("accepted")
			}
		})
	}
}

func TestSignGivesTwiliosPublishedSignatureAndVerifies(t *testing.T) {
	if got := Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", vectorForm); got != vectorSignature {
		t.Errorf("Sign = %q, want Twilio's %q", got, vectorSignature)
	}
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000000"}, "MessageStatus": {"delivered"}}
	r := httptest.NewRequest("POST", "http://127.0.0.1:8080/twilio-status", strings.NewReader(form.Encode()))
	r.Header.Set(SignatureHeader, Sign("tok", "https://bridge.example/twilio-status", form))
	if !NewVerifier("tok", "https://bridge.example").Verify(r, []byte(form.Encode())) {
		t.Error("a request signed with Sign is refused")
	}
	if NewVerifier("tok", "http://bridge.example").Verify(r, []byte(form.Encode())) {
		t.Error("a request signed for https verifies against an http public URL")
	}
}
