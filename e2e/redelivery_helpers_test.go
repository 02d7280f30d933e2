package e2e

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Twilio's policy for the inbound-message webhook as docs/setup.md tells clinics to
// configure it, /receive-sms#rc=3&rp=5xx: the first request, then up to
// three retries (rc=3) while the answer is a 5xx (rp=5xx: nothing else is
// retried), all within Twilio's default total time of 15 s (tt), which is
// also the longest it waits for one answer. Twilio does not publish its
// pause between retries.
const (
	twilioRetries    = 3
	twilioTotal      = 15 * time.Second
	twilioRetryPause = 200 * time.Millisecond
)

// Stream's push-webhook policy ("Push Webhook: Performance and Error
// Handling"): one request may take 6 s and a delivery with its retries
// 15 s; a 408, 429 or 5xx answer or a timeout is tried 3 times in all, a
// network error twice, with X-Webhook-Attempt counting up. The pause is the
// one streamtest's own webhook uses. The contract promises an answer
// within 5 s.
const (
	streamRequestTimeout    = 6 * time.Second
	streamTotal             = 15 * time.Second
	streamAttemptsOnStatus  = 3
	streamAttemptsOnNetwork = 2
	streamRetryPause        = 250 * time.Millisecond
	outboundDeadline        = 5 * time.Second
)

// delivery is how one webhook delivery went: every attempt, in order.
type delivery []exchange

// cutShort reports whether attempt x ended without an answer only because
// the vendor's total time ran out, which is not the bridge's fault.
func cutShort(x exchange, timeout, perRequest time.Duration) bool {
	return x.status == 0 && x.timedOut() && timeout < perRequest
}

// deliverSMS plays Twilio delivering form to /receive-sms, with its
// retries. Attempts cut short by Twilio's total time are marked.
func (w *world) deliverSMS(form url.Values) (delivery, []bool) {
	start := time.Now()
	var out delivery
	var cut []bool
	for len(out) <= twilioRetries {
		left := twilioTotal - time.Since(start)
		if left <= 0 {
			break
		}
		req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, w.base, "/receive-sms#rc=3&rp=5xx", form)
		if err != nil {
			w.fail("sign inbound webhook: %v", err)
			break
		}
		x := w.send(req, left)
		out, cut = append(out, x), append(cut, cutShort(x, left, twilioTotal))
		if x.status < 500 { // an answer Twilio keeps, or none at all
			break
		}
		time.Sleep(twilioRetryPause)
	}
	return out, cut
}

// deliverEvent plays Stream pushing message.new for message id to
// /stream-outgoing-sms, with its retries: the same body and X-Webhook-Id
// each time, X-Webhook-Attempt counting up.
func (w *world) deliverEvent(id string) (delivery, []bool) {
	body, ok := w.stream.MessageNewEvent(id)
	if !ok {
		w.fail("no message %s to deliver", id)
		return nil, nil
	}
	start := time.Now()
	pause := streamRetryPause
	var out delivery
	var cut []bool
	for attempt := 1; ; attempt++ {
		left := streamTotal - time.Since(start)
		if left <= 0 {
			break
		}
		req, err := http.NewRequest(http.MethodPost, w.base+"/stream-outgoing-sms", bytes.NewReader(body))
		if err != nil {
			w.fail("build event: %v", err)
			break
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Webhook-Id", "wh-"+id)
		req.Header.Set("X-Webhook-Attempt", strconv.Itoa(attempt))
		req.Header.Set("X-Api-Key", streamKey)
		req.Header.Set("X-Signature", streamtest.Sign(streamSecret, body))
		timeout := min(left, streamRequestTimeout)
		x := w.send(req, timeout)
		out, cut = append(out, x), append(cut, cutShort(x, timeout, streamRequestTimeout))
		if !streamRetries(x, attempt) {
			break
		}
		time.Sleep(pause)
		pause *= 2
	}
	return out, cut
}

// streamRetries applies Stream's attempt limits after attempt number n.
func streamRetries(x exchange, n int) bool {
	switch {
	case x.timedOut():
		return n < streamAttemptsOnStatus
	case x.err != nil:
		return n < streamAttemptsOnNetwork
	case x.status == http.StatusRequestTimeout, x.status == http.StatusTooManyRequests, x.status >= 500:
		return n < streamAttemptsOnStatus
	}
	return false
}

// pattern sums a delivery up as the matrix states it: "200" (the first
// answer), "503 → 200" (refused, then a retry was taken), "503 …" (every
// answer refused, until the vendor gave up). Anything else is spelt out.
func (d delivery) pattern() string {
	var codes []int
	for _, x := range d {
		if x.status != 0 {
			codes = append(codes, x.status)
		}
	}
	switch {
	case len(codes) == 0:
		return "no answer"
	case len(codes) == 1 && codes[0] == http.StatusOK:
		return "200"
	}
	last := codes[len(codes)-1]
	for _, c := range codes[:len(codes)-1] {
		if c != http.StatusServiceUnavailable {
			return spell(codes)
		}
	}
	switch last {
	case http.StatusOK:
		return "503 → 200"
	case http.StatusServiceUnavailable:
		return "503 …"
	}
	return spell(codes)
}

func spell(codes []int) string {
	s := ""
	for i, c := range codes {
		if i > 0 {
			s += ", "
		}
		s += strconv.Itoa(c)
	}
	return s
}
