package streamtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/smsbridge/smsbridge/internal/wait"
)

// Stream's push-webhook delivery rules ("Push Webhook: Performance and Error
// Handling"): one request may take 6 s, a delivery with all its retries
// 15 s; a 408, 429 or 5xx answer or a timeout is tried 3 times in all, a
// network error 2 times. Stream does not publish its backoff; the fake waits
// retryPause, doubling, so retries are quick in a sandbox.
const (
	webhookRequestTimeout = 6 * time.Second
	webhookTotalBudget    = 15 * time.Second
	attemptsOnStatus      = 3
	attemptsOnNetwork     = 2
	retryPause            = 250 * time.Millisecond
)

// Webhook is the app's push webhook. When one is set (SetWebhook), every
// message created through the API (send message) is pushed to URL as a
// message.new event, the way Stream pushes it: from its own goroutine after
// the message is stored, signed with the app secret, with the X-Webhook-Id,
// X-Webhook-Attempt and X-Api-Key headers, and retried by Stream's rules.
// Seeded messages (PutMessage) are not pushed: tests deliver those
// themselves with MessageNewEvent and Sign.
type Webhook struct {
	URL string
	// Client sends the requests; nil means one with Stream's 6 s timeout.
	Client *http.Client
	// Report, when set, is told how each delivery ended, for logs.
	Report func(WebhookDelivery)
}

// WebhookDelivery is how the push of one event ended.
type WebhookDelivery struct {
	MessageID string
	WebhookID string
	Attempts  int
	Status    int   // the last answer's status; 0 when none came
	Err       error // the last network error, if any
}

// SetWebhook sets (or, with a zero Webhook, removes) the push webhook.
func (s *Server) SetWebhook(w Webhook) {
	if w.Client == nil {
		w.Client = &http.Client{Timeout: webhookRequestTimeout}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.URL == "" {
		s.webhook = nil
		return
	}
	s.webhook = &w
}

// messageCreatedLocked starts the push of message.new for a message just
// created through the API; s.mu is held, so the push runs on its own
// goroutine and reads the message once the handler has let go.
func (s *Server) messageCreatedLocked(id string) {
	if s.webhook == nil {
		return
	}
	go s.push(*s.webhook, id)
}

// push delivers message.new for id, retrying as Stream does, and reports
// the result. Close cuts it short.
func (s *Server) push(w Webhook, id string) {
	body, ok := s.MessageNewEvent(id)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), webhookTotalBudget)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := WebhookDelivery{MessageID: id, WebhookID: newMessageID()}
	pause := retryPause
	for {
		d.Attempts++
		d.Status, d.Err = s.pushOnce(ctx, w, body, d)
		if !retryable(d) || !wait.For(ctx, pause) {
			break
		}
		pause *= 2
	}
	if w.Report != nil {
		w.Report(d)
	}
}

// retryable applies Stream's attempt limits to the delivery so far.
func retryable(d WebhookDelivery) bool {
	switch {
	case d.Err != nil && isTimeout(d.Err):
		return d.Attempts < attemptsOnStatus // Stream treats a timeout like a 5xx
	case d.Err != nil:
		return d.Attempts < attemptsOnNetwork
	case d.Status == http.StatusRequestTimeout, d.Status == http.StatusTooManyRequests, d.Status >= 500:
		return d.Attempts < attemptsOnStatus
	}
	return false
}

// pushOnce makes one attempt and returns the answer's status.
func (s *Server) pushOnce(ctx context.Context, w Webhook, body []byte, d WebhookDelivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Id", d.WebhookID)
	req.Header.Set("X-Webhook-Attempt", strconv.Itoa(d.Attempts))
	req.Header.Set("X-Api-Key", s.opts.APIKey)
	req.Header.Set("X-Signature", Sign(s.opts.APISecret, body))
	resp, err := w.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
