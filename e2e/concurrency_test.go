package e2e

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// concurrentDeliveries is how many deliveries race in each test.
const concurrentDeliveries = 50

// deliverAll posts each form to /receive-sms at once, signed, alternating
// between the harness's instances, and returns the answers. It runs in
// plain goroutines, so it records failures instead of stopping.
func (h *harness) deliverAll(forms []url.Values) []exchange {
	h.t.Helper()
	client := &http.Client{Timeout: twilioTotal}
	defer client.CloseIdleConnections()
	out := make([]exchange, len(forms))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, f := range forms {
		wg.Go(func() {
			req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, h.urls[i%len(h.urls)], "/receive-sms", f)
			if err != nil {
				out[i] = exchange{err: err}
				return
			}
			<-start
			began := time.Now()
			resp, err := client.Do(req)
			out[i] = exchange{took: time.Since(began), err: err}
			if err == nil {
				out[i].status = resp.StatusCode
				resp.Body.Close()
			}
		})
	}
	close(start) // all at once, as a burst of retries on several replicas
	wg.Wait()
	return out
}

// assertAll200 fails for any delivery not answered 200 within Twilio's 15 s.
func assertAll200(t *testing.T, answers []exchange) {
	t.Helper()
	for i, x := range answers {
		if x.status != http.StatusOK || x.took > twilioTotal {
			t.Errorf("delivery %d: status %d after %v (%v), want 200 within 15 s", i, x.status, x.took.Round(time.Millisecond), x.err)
		}
	}
}

func TestFiftyConcurrentDeliveriesOfOneSMSOnTwoReplicasStoreItOnce(t *testing.T) {
	noLeaks(t)
	h := start(t)
	h.startInstance()
	// A new number, so the deliveries also race to create the channel.
	m := sms{Sid: twiliotest.NewMessageSid(), From: "+12015550131", Body: "Can I bring my daughter along?"}
	forms := make([]url.Values, concurrentDeliveries)
	for i := range forms {
		forms[i] = h.form(m)
	}
	assertAll200(t, h.deliverAll(forms))

	msgs := h.stream.Messages("sms", "12015550131")
	if len(msgs) != 1 || msgs[0].ID != "sms-"+m.Sid {
		t.Errorf("messages = %d, want exactly 1 (sms-%s)", len(msgs), m.Sid)
	}
	if ch, ok := h.stream.Channel("sms", "12015550131"); !ok || !sameSet(ch.Members, []string{"12015550131", "front_desk", "dr_lee"}) {
		t.Errorf("channel = %+v, %v", ch, ok)
	}
}

func TestFiftyConcurrentFirstMessagesFromOneNewNumberMakeOneChannel(t *testing.T) {
	noLeaks(t)
	h := start(t)
	h.startInstance()
	forms := make([]url.Values, concurrentDeliveries)
	want := map[string]bool{}
	for i := range forms {
		sid := twiliotest.NewMessageSid()
		forms[i] = h.form(sms{Sid: sid, From: "+12015550132", Body: "First words, part " + string(rune('A'+i%26))})
		want["sms-"+sid] = true
	}
	assertAll200(t, h.deliverAll(forms))

	msgs := h.stream.Messages("sms", "12015550132")
	got := map[string]int{}
	for _, m := range msgs {
		got[m.ID]++
	}
	for id := range want {
		if got[id] != 1 {
			t.Errorf("message %s stored %d times, want 1", id, got[id])
		}
	}
	if len(msgs) != len(want) {
		t.Errorf("messages = %d, want %d", len(msgs), len(want))
	}
	if n := len(h.stream.ChannelsOfType("sms")); n != 1 {
		t.Errorf("sms channels = %d, want 1", n)
	}
	if ch, ok := h.stream.Channel("sms", "12015550132"); !ok || !sameSet(ch.Members, []string{"12015550132", "front_desk", "dr_lee"}) {
		t.Errorf("channel = %+v, %v", ch, ok)
	}
}
