package e2e

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// hostile is one request an attacker, a broken client or an odd but
// genuine vendor might send, and the answers that are acceptable: a clear
// 4xx, or a documented acceptance. Never a 5xx.
type hostile struct {
	name        string
	method      string // POST when empty
	path        string
	contentType string
	body        []byte
	header      http.Header
	// sign, when set, signs the request as the vendor would (after the
	// body and header are in place), so the case tests what lies past the
	// signature check.
	sign func(req *http.Request, body []byte)
	want []int  // acceptable statuses
	code string // the JSON error code, when one is expected
}

// signTwilio signs the request's body as Twilio signs a form: over the
// public URL of the path and the parameters the body parses into.
func signTwilio(req *http.Request, body []byte) {
	form, _ := url.ParseQuery(string(body))
	req.Header.Set("X-Twilio-Signature", twiliotest.Signature(twilioToken, publicURL+req.URL.RequestURI(), form))
}

// signStream signs the body as Stream signs a webhook; unpacked is what
// the signature covers when the body is compressed.
func signStream(unpacked []byte) func(*http.Request, []byte) {
	return func(req *http.Request, body []byte) {
		if unpacked == nil {
			unpacked = body
		}
		req.Header.Set("X-Signature", streamtest.Sign(streamSecret, unpacked))
	}
}

// bearer authorizes the request with token.
func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// twilioForm is a signed-looking inbound form with fields replaced
// (an empty value deletes the field), encoded.
func twilioForm(sid string, set map[string]string) []byte {
	f := twiliotest.InboundSMS(twilioSID, sid, "+12015550150", clinicNumber, "odd but genuine message")
	for k, v := range set {
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
	}
	return []byte(f.Encode())
}

// nested is JSON nested n levels deep, inside the body caps.
func nested(n int) []byte {
	return []byte(`{"phoneNumber":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`)
}

// gzipOf compresses b.
func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// jsonOf marshals v, which must marshal.
func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// runHostile sends each case to instance 0 and checks the answer: an
// acceptable status, never a 5xx, the JSON error shape on every error, no
// injected header, and the process still serving afterwards.
func (h *harness) runHostile(t *testing.T, cases []hostile) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, h.urls[0]+tc.path, bytes.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			for k, v := range tc.header {
				req.Header[k] = v
			}
			if tc.sign != nil {
				tc.sign(req, tc.body)
			}
			r := h.do(req)
			t.Logf("answered %d", r.Status)
			checkHostileAnswer(t, tc, method, r)
			if s := status(t, h.urls[0]+"/healthz"); s != http.StatusOK {
				t.Fatalf("/healthz = %d after the request", s)
			}
		})
	}
}

func checkHostileAnswer(t *testing.T, tc hostile, method string, r response) {
	t.Helper()
	if r.Status >= 500 {
		t.Errorf("status = %d (%s), never a 5xx", r.Status, r.Body)
	} else if !slices.Contains(tc.want, r.Status) {
		t.Errorf("status = %d (%s), want one of %v", r.Status, r.Body, tc.want)
	}
	for k := range r.Header {
		if strings.Contains(strings.ToLower(k), "injected") {
			t.Errorf("the answer carries an injected header %s", k)
		}
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", r.Header.Get("X-Content-Type-Options"))
	}
	if r.Status < 400 || method == http.MethodHead {
		return
	}
	var e struct{ Error, Code string }
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
		json.Unmarshal([]byte(r.Body), &e) != nil || e.Error == "" || e.Code == "" {
		t.Errorf("error answer %q (%s) lacks the JSON shape {\"error\",\"code\"}", r.Body, r.Header.Get("Content-Type"))
	}
	if tc.code != "" && e.Code != tc.code {
		t.Errorf("code = %q, want %q", e.Code, tc.code)
	}
}
