package twiliohook

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strings"

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
	key       []byte
	// bases are publicURL as configured, then with its default port added
	// (or its port removed): twilio-go accepts a signature over either,
	// because Twilio's own signing is inconsistent about ports.
	bases     [2][]byte
	validator client.RequestValidator // for webhooks signed over a bodySHA256
}

// NewVerifier returns a Verifier for the account's auth token.
func NewVerifier(authToken, publicURL string) *Verifier {
	return &Verifier{publicURL: publicURL, key: []byte(authToken),
		bases:     [2][]byte{[]byte(publicURL), []byte(otherPortForm(publicURL))},
		validator: client.NewRequestValidator(authToken)}
}

// Verify reports whether body (the raw form) was signed by Twilio for r's
// URL.
func (v *Verifier) Verify(r *http.Request, body []byte) bool {
	_, ok := v.VerifyForm(r, body)
	return ok
}

// VerifyForm is Verify that also returns the signed form, parsed once. It
// accepts exactly what twilio-go's RequestValidator.ValidateBody accepts
// (signature_compat_test.go holds them equal) without its URL re-parsing
// and string formatting, which made it the costliest step of an inbound
// SMS after the Stream call (cmd/smsbench). Signatures are compared in
// constant time. The form is nil when a bodySHA256 webhook's body is not a
// form.
func (v *Verifier) VerifyForm(r *http.Request, body []byte) (url.Values, bool) {
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		return nil, false
	}
	uri := r.URL.RequestURI()
	if r.URL.RawQuery != "" && r.URL.Query().Has("bodySHA256") {
		if !v.validator.ValidateBody(v.publicURL+uri, body, sig) {
			return nil, false
		}
		form, _ := url.ParseQuery(string(body))
		return form, true
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || !v.signed(sig, uri, form, len(body)) {
		return nil, false
	}
	return form, true
}

// signed reports whether sig is Twilio's signature of the URL (any of
// v.bases followed by uri), then each parameter's name and first value,
// sorted by name. size is the body's length, which bounds the pairs'.
func (v *Verifier) signed(sig, uri string, form url.Values, size int) bool {
	pairs := formPairs(form, size)
	mac := hmac.New(sha1.New, v.key)
	want, path := make([]byte, sigLen), []byte(uri)
	for _, base := range v.bases {
		if subtle.ConstantTimeCompare(signature(mac, want, base, path, pairs), []byte(sig)) == 1 {
			return true
		}
	}
	return false
}

// Sign returns the X-Twilio-Signature Twilio sends with a POST of form to
// fullURL (the URL as configured in Twilio, query included, fragment not):
// what Verify accepts. `smsbridge doctor --probe` signs its requests with it.
func Sign(authToken, fullURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	return string(signature(mac, make([]byte, sigLen), []byte(fullURL), nil, formPairs(form, 0)))
}

// formPairs is each parameter's name and first value, sorted by name, as
// Twilio signs them. size is a capacity hint.
func formPairs(form url.Values, size int) []byte {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pairs := make([]byte, 0, size)
	for _, k := range keys {
		pairs = append(append(pairs, k...), form[k][0]...)
	}
	return pairs
}

// sigLen is the length of a signature: base64 of a SHA-1 sum.
var sigLen = base64.StdEncoding.EncodedLen(sha1.Size)

// signature writes into dst (sigLen bytes) the base64 HMAC-SHA1 (mac holds
// the key) of base, uri and pairs: Twilio's signature of a form POST.
func signature(mac hash.Hash, dst, base, uri, pairs []byte) []byte {
	mac.Reset()
	mac.Write(base)
	mac.Write(uri)
	mac.Write(pairs)
	var sum [sha1.Size]byte
	base64.StdEncoding.Encode(dst, mac.Sum(sum[:0]))
	return dst
}

// otherPortForm returns base with its scheme's default port added when it
// has no port, or with its port removed, as twilio-go's addPort and
// removePort rewrite a URL.
func otherPortForm(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if u.Port() != "" {
		u.Host = strings.Split(u.Host, ":")[0]
		return u.String()
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	u.Host += ":" + port
	return u.String()
}
