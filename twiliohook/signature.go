package twiliohook

import (
	"net/http"

	"github.com/twilio/twilio-go/client"
)

// SignatureHeader carries Twilio's webhook signature.
const SignatureHeader = "X-Twilio-Signature"

// Verifier checks X-Twilio-Signature on webhooks.
//
// Twilio signs the URL it was configured with, which behind a load balancer
// or TLS terminator is not the URL this process sees. So the URL checked is
// the configured public base URL plus the request URI as received (path and
// query). The fragment of a configured URL (#rc=3&rp=5xx) is never sent and
// is not part of the signature.
type Verifier struct {
	publicURL string
	validator client.RequestValidator
}

// NewVerifier returns a Verifier for the account's auth token.
func NewVerifier(authToken, publicURL string) *Verifier {
	return &Verifier{publicURL: publicURL, validator: client.NewRequestValidator(authToken)}
}

// Verify reports whether body (the raw form) was signed by Twilio for r's
// URL. twilio-go compares in constant time.
func (v *Verifier) Verify(r *http.Request, body []byte) bool {
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		return false
	}
	return v.validator.ValidateBody(v.publicURL+r.URL.RequestURI(), body, sig)
}
