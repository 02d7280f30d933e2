package twiliohook

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// twilioAPIHost is where twilio-go sends Messages API calls;
// messagingHost its Messaging Service calls (smsbridge doctor).
const (
	twilioAPIHost = "api.twilio.com"
	messagingHost = "messaging.twilio.com"
)

// maxErrorBody bounds how much of an error answer is buffered.
const maxErrorBody = 64 << 10

// newTwilioTransport returns a RoundTripper that sends twilio-go's
// api.twilio.com calls to baseURL (a regional endpoint or a test fake), its
// messaging.twilio.com calls too when baseURL is not Twilio's (a fake serves
// both APIs on one address), and
// buffers error answers: twilio-go decodes them without closing the body,
// which would otherwise pin a pooled connection per error.
func newTwilioTransport(baseURL string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	t := &twilioTransport{next: next}
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" && u.Host != twilioAPIHost {
		t.base = u
		t.messaging = !strings.HasSuffix(u.Hostname(), ".twilio.com")
	}
	return t
}

type twilioTransport struct {
	base      *url.URL // nil: leave requests as they are
	messaging bool     // send messaging.twilio.com calls to base too
	next      http.RoundTripper
}

func (t *twilioTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.base != nil && (req.URL.Host == twilioAPIHost || t.messaging && req.URL.Host == messagingHost) {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = t.base.Scheme, t.base.Host
		req.URL.Path = strings.TrimSuffix(t.base.Path, "/") + req.URL.Path
		req.Host = ""
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// ctxTransport attaches a context to requests made by a library that takes
// none (twilio-go), so the caller's deadline and cancellation apply.
type ctxTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req.WithContext(t.ctx))
}
