package streamhook

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	"github.com/smsbridge/smsbridge/bridge"
)

// SignatureHeader carries Stream's webhook signature: the hex HMAC-SHA256 of
// the (uncompressed) body, keyed with the app secret.
const SignatureHeader = "X-Signature"

// maxUnpacked bounds a gzip body once unpacked, so a small compressed body
// cannot expand without limit before its signature is checked.
const maxUnpacked = 1 << 20

// Verifier checks X-Signature on Stream webhooks.
type Verifier struct{ secret []byte }

// NewVerifier returns a Verifier for the app's secret.
func NewVerifier(secret string) *Verifier { return &Verifier{secret: []byte(secret)} }

// Verify returns the body Stream signed (unpacked when gzip-encoded) when
// the signature matches, or an error wrapping bridge.ErrUnauthenticated.
func (v *Verifier) Verify(r *http.Request, raw []byte) ([]byte, error) {
	body, err := unpack(r, raw)
	if err != nil {
		return nil, err
	}
	got := strings.ToLower(strings.TrimSpace(r.Header.Get(SignatureHeader)))
	if got == "" || !hmac.Equal(sign(v.secret, body), []byte(got)) {
		return nil, bridge.Errorf(bridge.ErrUnauthenticated, "bad_signature", "The Stream signature is missing or does not match.")
	}
	return body, nil
}

// Sign returns the X-Signature Stream puts on a webhook with this body
// (uncompressed): what Verify accepts. `smsbridge doctor --probe` signs its
// requests with it.
func Sign(secret string, body []byte) string { return string(sign([]byte(secret), body)) }

// sign is the lower-case hex HMAC-SHA256 of body keyed with secret.
func sign(secret, body []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	out := make([]byte, hex.EncodedLen(sha256.Size))
	hex.Encode(out, mac.Sum(nil))
	return out
}

func unpack(r *http.Request, raw []byte) ([]byte, error) {
	if !strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		return raw, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, bridge.Errorf(bridge.ErrInvalid, "bad_gzip", "The body is not valid gzip.")
	}
	body, err := io.ReadAll(io.LimitReader(zr, maxUnpacked+1))
	switch {
	case err != nil:
		return nil, bridge.Errorf(bridge.ErrInvalid, "bad_gzip", "The body is not valid gzip.")
	case len(body) > maxUnpacked:
		return nil, &http.MaxBytesError{Limit: maxUnpacked}
	}
	return body, nil
}
