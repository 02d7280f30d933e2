package e2e

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// toInstance sends every request to one bridge instance, whatever its URL's
// host: Twilio's fake signs its webhooks for PUBLIC_URL, as Twilio does, and
// they reach the instance as through a load balancer.
type toInstance struct {
	base *url.URL
	next http.RoundTripper
}

func (r toInstance) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.base.Scheme, r.base.Host, r.base.Host
	return r.next.RoundTrip(out)
}

// webhookLog keeps how each of the Network's webhooks ended.
type webhookLog struct {
	mu      sync.Mutex
	results []twiliotest.WebhookResult
}

func (l *webhookLog) add(r twiliotest.WebhookResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.results = append(l.results, r)
}

func (l *webhookLog) all() []twiliotest.WebhookResult {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]twiliotest.WebhookResult(nil), l.results...)
}

// network attaches Twilio's carrier side to the fake: every message the
// bridge creates moves through queued, sent and delivered a step apart, each
// status posted to the message's StatusCallback with the retries its
// fragment asks for; phones text /receive-sms with the console's
// #rc=3&rp=5xx. Webhooks go to the harness's first instance.
func (h *harness) network(step time.Duration) (*twiliotest.Network, *webhookLog) {
	h.t.Helper()
	base, err := url.Parse(h.urls[0])
	if err != nil {
		h.t.Fatal(err)
	}
	log := &webhookLog{}
	client := &http.Client{Timeout: 15 * time.Second, Transport: toInstance{base: base, next: &http.Transport{}}}
	n := h.twilio.NewNetwork(twiliotest.NetworkOptions{Number: clinicNumber, IncomingURL: publicURL + "/receive-sms#rc=3&rp=5xx",
		Step: step, Client: client, Report: log.add})
	h.t.Cleanup(n.Close)
	return n, log
}

// waitFor polls cond every 20 ms for at most d.
func waitFor(t *testing.T, d time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}
