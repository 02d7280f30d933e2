package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// The burst: Stream's per-endpoint windows scaled down from a minute to 2 s,
// and a burst of inbound SMS, admin replies and reminders, with Twilio's
// status callbacks, several times what the windows allow
// (docs/quotas.md "What happens at the limit").
const (
	burstWindow    = 2 * time.Second
	burstLimit     = 6 // calls per window on each message endpoint
	burstPatients  = 6
	burstInbound   = 3 // SMS per patient
	burstReplies   = 1 // admin replies per patient
	burstReminders = 1 // reminders per patient
)

var burstLimits = streamtest.RateLimits{Window: burstWindow, Limits: map[string]int{
	streamtest.OpSendMessage: burstLimit, streamtest.OpGetMessage: burstLimit,
	streamtest.OpUpdateMessagePartial: burstLimit, streamtest.OpQueryChannel: 4 * burstLimit,
	streamtest.OpUpsertUsers: burstLimit, streamtest.OpUpdateChannelPartial: burstLimit,
}}

func burstNumber(i int) string { return fmt.Sprintf("+120155501%02d", 60+i) }

func TestABurstSeveralTimesStreamsWindowsLosesNothingAndSendsNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst over several windows")
	}
	a := startAPI(t)
	token := a.token("front_desk")
	for i := range burstPatients {
		a.seedPatient(burstNumber(i))
	}
	n, hooks := a.network(500 * time.Millisecond)
	a.stream.SetRateLimits(burstLimits)
	began := time.Now()

	var wg sync.WaitGroup
	var mu sync.Mutex
	inbound := map[string]twiliotest.WebhookResult{}
	for i := range burstPatients {
		for j := range burstInbound {
			body := fmt.Sprintf("Patient %d question %d about my visit", i, j)
			a.secret(body)
			wg.Go(func() {
				sid, res := n.Text(t.Context(), burstNumber(i), body)
				mu.Lock()
				defer mu.Unlock()
				inbound[sid] = res
			})
		}
		for j := range burstReplies {
			id := fmt.Sprintf("burst-reply-%d-%d", i, j)
			a.write(reply{ID: id, ChannelID: strings.TrimPrefix(burstNumber(i), "+"), Author: "front_desk",
				Text: fmt.Sprintf("Reply %d-%d: your results are in", i, j)})
			wg.Go(func() { a.deliverWithRetries(id) })
		}
		for j := range burstReminders {
			text := fmt.Sprintf("Reminder %d-%d: your appointment is tomorrow", i, j)
			key := fmt.Sprintf("burst-reminder-%d-%d", i, j)
			wg.Go(func() { a.remindUntilSent(token, key, burstNumber(i), text) })
		}
	}
	wg.Wait()
	a.waitAllDelivered(20 * time.Second)
	t.Logf("burst of %d inbound, %d replies, %d reminders settled in %v", len(inbound),
		burstPatients*burstReplies, burstPatients*burstReminders, time.Since(began).Round(100*time.Millisecond))

	a.checkInboundStoredOnce(inbound)
	a.checkEachSentOnceAndDelivered()
	redelivered := map[string]int{}
	for _, r := range hooks.all() {
		if r.Attempts > 1 {
			redelivered[r.Kind]++
		}
		if r.Kind == "status" && r.HTTP != http.StatusOK {
			t.Logf("a %s callback ended %d after %d attempts (a later status carried it)", r.Status, r.HTTP, r.Attempts)
		}
	}
	t.Logf("webhooks Twilio redelivered: %v", redelivered)
	// A bridge that keeps to X-RateLimit-* goes over a window only with
	// calls already in flight when it learnt the window had run out: the
	// burst's first calls, made before Stream's first answer, and those
	// let through when a window turned before its length was known.
	inFlight := burstPatients * (burstInbound + burstReplies + burstReminders)
	for op := range burstLimits.Limits {
		t.Logf("%s: %d calls, %d refused, at most %d over the limit in one window", op,
			a.stream.Calls(op), a.stream.Refused(op), a.stream.OverPeak(op))
		if over := a.stream.OverPeak(op); over > inFlight {
			t.Errorf("%s: %d calls over the limit in one window, more than the %d requests in flight", op, over, inFlight)
		}
	}
}
