package e2e

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestReplicasSharingRedisSpendStreamsWindowTogether(t *testing.T) {
	r := startReplicas(t)
	r.seedPatient(patient)
	// A window that will not turn during the test: what is refused stays
	// refused, and every call Stream takes is counted.
	r.stream.SetRateLimits(streamtest.RateLimits{Window: time.Hour, Limits: map[string]int{streamtest.OpSendMessage: 6}})
	for i := range 2 { // each replica learns the window from its own call
		assertTwiMLOK(t, r.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Hello from the patient"}, i))
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	answers := map[int]int{}
	for i := range 10 {
		wg.Go(func() {
			res := r.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Another question from the patient"}, i%2)
			mu.Lock()
			defer mu.Unlock()
			answers[res.Status]++
		})
	}
	wg.Wait()
	if answers[http.StatusOK] != 4 || answers[http.StatusServiceUnavailable] != 6 {
		t.Errorf("answers %v, want 4 stored (the window's 4 calls left) and 6 refused for Twilio to redeliver", answers)
	}
	if n := r.stream.Refused(streamtest.OpSendMessage); n != 0 {
		t.Errorf("Stream refused %d calls: the replicas spent more than the window had left", n)
	}
}
