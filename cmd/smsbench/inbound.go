package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Placeholders in the inbound template: a MessageSid ("SM" + 32 characters)
// and the digits of an E.164 +1 number (11), both unlike anything else in
// the form.
const (
	sidHole    = "SMzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
	numberHole = "1zzzzzzzzzz"
)

// inboundForm builds Twilio's signed inbound-SMS webhook for any MessageSid
// and sender with two copies and one HMAC, instead of encoding, sorting and
// signing a url.Values per request: the load generator shares the machine
// with the system it measures, so its own cost is kept small.
type inboundForm struct {
	body, signed     []byte // the form, and what Twilio signs (URL + sorted pairs)
	bodySid, bodyNum []int  // where the holes are in body
	signSid, signNum []int  // and in signed
	token            []byte
}

func newInboundForm(authToken, publicURL, path, to string) *inboundForm {
	form := twiliotest.InboundSMS(accountSID, sidHole, "+"+numberHole, to, inboundText)
	var signed strings.Builder
	signed.WriteString(publicURL + path)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		signed.WriteString(k + form.Get(k))
	}
	f := &inboundForm{body: []byte(form.Encode()), signed: []byte(signed.String()), token: []byte(authToken)}
	f.bodySid, f.bodyNum = holes(f.body, sidHole), holes(f.body, numberHole)
	f.signSid, f.signNum = holes(f.signed, sidHole), holes(f.signed, numberHole)
	return f
}

func holes(b []byte, hole string) []int {
	var at []int
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(hole))
		if j < 0 {
			return at
		}
		at = append(at, i+j)
		i += j + len(hole)
	}
}

// signer is one worker's scratch space.
type signer struct {
	mac    hash.Hash
	signed []byte
	sum    []byte
}

func (f *inboundForm) newSigner() *signer {
	return &signer{mac: hmac.New(sha1.New, f.token), signed: bytes.Clone(f.signed)}
}

// build returns the form for sid (34 characters) from number (+1 and ten
// digits) and its X-Twilio-Signature.
func (f *inboundForm) build(s *signer, sid, number string) (body []byte, signature string) {
	body = bytes.Clone(f.body)
	fill(body, f.bodySid, sid)
	fill(body, f.bodyNum, number[1:])
	fill(s.signed, f.signSid, sid)
	fill(s.signed, f.signNum, number[1:])
	s.mac.Reset()
	s.mac.Write(s.signed)
	s.sum = s.mac.Sum(s.sum[:0])
	return body, base64.StdEncoding.EncodeToString(s.sum)
}

func fill(b []byte, at []int, v string) {
	for _, i := range at {
		copy(b[i:], v)
	}
}

// messageSid makes the n-th request's MessageSid: "SM" and 32 hex digits.
func messageSid(n uint64) string {
	const hexdigits = "0123456789abcdef"
	b := []byte("SM00000000000000000000000000000000")
	for i := len(b) - 1; n > 0; i-- {
		b[i] = hexdigits[n&15]
		n >>= 4
	}
	return string(b)
}

// inboundRequests returns a worker's builder of signed /receive-sms posts;
// number picks the sender of the n-th request.
func inboundRequests(f *inboundForm, number func(n uint64) string) func() requestFunc {
	return func() requestFunc {
		s := f.newSigner()
		return func(base string, n uint64) (*http.Request, error) {
			body, sig := f.build(s, messageSid(n), number(n))
			req, err := http.NewRequest(http.MethodPost, base+"/receive-sms", bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header = http.Header{
				"Content-Type":       {"application/x-www-form-urlencoded"},
				"User-Agent":         {"TwilioProxy/1.1"},
				"X-Twilio-Signature": {sig},
			}
			return req, nil
		}
	}
}
