package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// withRedis points replicas at a real redis-server.
func withRedis(s *redistest.Server) option { return withEnv("REDIS_URL", s.URL()) }

// twoReplicas starts two bridge replicas sharing the fakes and, when s is
// not nil, one Redis.
func twoReplicas(t *testing.T, s *redistest.Server) *apiHarness {
	t.Helper()
	var opts []option
	if s != nil {
		opts = append(opts, withRedis(s))
	}
	a := startAPI(t, opts...)
	a.startInstance(append([]option{withEnv("ADMIN_USERS", "front_desk:"+apiAdminHash+",dr_lee:"+apiAdminHash)}, opts...)...)
	assertTwiMLOK(t, a.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Hi, this is the patient"}))
	return a
}

// answer is one request's outcome, safe to collect from goroutines.
type answer struct {
	status int
	body   string
	err    error
}

func send(req *http.Request) answer {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: string(b)}
}

// messageNew is the signed message.new webhook for id, to replica base.
func (h *harness) messageNew(base, id string, attempt int) *http.Request {
	body, ok := h.stream.MessageNewEvent(id)
	if !ok {
		h.t.Fatalf("no message %s", id)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/stream-outgoing-sms", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Attempt", strconv.Itoa(attempt))
	req.Header.Set("X-Signature", streamtest.Sign(streamSecret, body))
	return req
}

// callback is Twilio's signed status callback for sid, to replica base.
func (h *harness) callback(base, mid, sid, status string) *http.Request {
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, base, "/twilio-status?mid="+url.QueryEscape(mid),
		twiliotest.StatusCallback(twilioSID, sid, status, 0))
	if err != nil {
		h.t.Fatal(err)
	}
	return req
}

// concurrently runs each request at once and returns the answers in order.
func concurrently(reqs []*http.Request) []answer {
	out := make([]answer, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() { out[i] = send(r) })
	}
	wg.Wait()
	return out
}

func assert200or503(t *testing.T, answers []answer) {
	t.Helper()
	for i, a := range answers {
		if a.err != nil || (a.status != http.StatusOK && a.status != http.StatusServiceUnavailable) {
			t.Errorf("delivery %d: %d %v, want 200 or 503", i, a.status, a.err)
		}
	}
}

func TestTwentyConcurrentDeliveriesOfOneReplySendOneSMS(t *testing.T) {
	for _, tc := range []struct {
		name  string
		redis bool
	}{{"over two replicas sharing Redis", true}, {"on one replica without Redis", false}} {
		t.Run(tc.name, func(t *testing.T) {
			var h *harness
			if tc.redis {
				h = twoReplicas(t, redistest.Start(t)).harness
			} else {
				h = startWithPatient(t)
			}
			h.write(adminReply("reply-dup", "Your results are ready to pick up"))
			h.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Delay: 200 * time.Millisecond}) // a slow first send
			var reqs []*http.Request
			for i := range 20 {
				reqs = append(reqs, h.messageNew(h.urls[i%len(h.urls)], "reply-dup", 1+i%3))
			}
			assert200or503(t, concurrently(reqs))
			if n := len(h.twilio.MessagesTo(patient)); n != 1 {
				t.Fatalf("%d SMS sent for one chat message, want 1", n)
			}
			m, _ := h.stream.Message("reply-dup")
			if m.Custom["sms_sid"] == nil || m.Custom["sms_status"] == nil {
				t.Errorf("the message ends unmarked: %v", m.Custom)
			}
		})
	}
}

func TestStatusesInAnyOrderOverTwoReplicasEndDelivered(t *testing.T) {
	a := twoReplicas(t, redistest.Start(t))
	h := a.harness
	for trial := range 30 {
		id := "reply-order-" + strconv.Itoa(trial)
		h.write(adminReply(id, "Please bring your insurance card"))
		// Twilio takes the SMS at once but answers late, so the callbacks
		// race the relay's own mark.
		h.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Apply: true, Delay: time.Duration(20+rand.IntN(80)) * time.Millisecond})
		relay := make(chan answer, 1)
		go func() { relay <- send(h.messageNew(h.urls[trial%2], id, 1)) }()
		sid := waitForSid(t, h, trial+1)
		var cbs []*http.Request
		for _, s := range []string{"sent", "delivered", "sent", "queued"} {
			cbs = append(cbs, h.callback(h.urls[rand.IntN(2)], id, sid, s))
		}
		rand.Shuffle(len(cbs), func(i, j int) { cbs[i], cbs[j] = cbs[j], cbs[i] })
		for i, r := range concurrently(cbs) {
			if r.status != http.StatusOK {
				t.Fatalf("trial %d: callback %d answered %d %s", trial, i, r.status, r.body)
			}
		}
		if r := <-relay; r.status != http.StatusOK {
			t.Fatalf("trial %d: relay answered %d %s", trial, r.status, r.body)
		}
		if m, _ := h.stream.Message(id); m.Custom["sms_status"] != "delivered" || m.Custom["sms_sid"] != sid {
			t.Fatalf("trial %d: message ends %v, want delivered with its sid", trial, m.Custom)
		}
	}
}

// waitForSid waits until Twilio holds n messages to the patient and returns
// the newest one's sid.
func waitForSid(t *testing.T, h *harness, n int) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if sent := h.twilio.MessagesTo(patient); len(sent) >= n {
			return sent[len(sent)-1].Sid
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("Twilio never got message %d", n)
	return ""
}

// remindAt sends a reminder with an Idempotency-Key to replica base.
func (a *apiHarness) remindAt(base, token, key string) *http.Request {
	body, _ := json.Marshal(map[string]string{"phoneNumber": reminderPatient, "messageText": "Your flu shot is due this week"})
	req, _ := http.NewRequest(http.MethodPost, base+"/send-reminder", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	return req
}

func TestTheSameIdempotencyKeyOnTwoReplicasSendsOneReminder(t *testing.T) {
	a := twoReplicas(t, redistest.Start(t))
	a.secret("Your flu shot is due this week")
	tok := a.token("front_desk")
	// Concurrently: one sends, the other waits its turn or replays.
	both := concurrently([]*http.Request{a.remindAt(a.urls[0], tok, "key-1"), a.remindAt(a.urls[1], tok, "key-1")})
	for i, r := range both {
		if r.status != http.StatusOK && !(r.status == http.StatusConflict && strings.Contains(r.body, "idempotency_in_progress")) {
			t.Fatalf("concurrent request %d: %d %s", i, r.status, r.body)
		}
	}
	// One after the other, to each replica: the first answer, twice.
	first, second := send(a.remindAt(a.urls[0], tok, "key-1")), send(a.remindAt(a.urls[1], tok, "key-1"))
	if first.status != http.StatusOK || first.body != second.body {
		t.Fatalf("answers differ: %d %s / %d %s", first.status, first.body, second.status, second.body)
	}
	if n := len(a.twilio.MessagesTo(reminderPatient)); n != 1 {
		t.Fatalf("%d SMS sent for one Idempotency-Key, want 1", n)
	}
}

// loginAt logs in at replica base from client ip.
func (a *apiHarness) loginAt(base, id, password, ip string) int {
	body, _ := json.Marshal(map[string]string{"adminId": id, "password": password})
	req, _ := http.NewRequest(http.MethodPost, base+"/admin-login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	r := send(req)
	if r.err != nil {
		a.t.Fatal(r.err)
	}
	return r.status
}

func TestLoginLimitsHoldOverTwoReplicas(t *testing.T) {
	srv := redistest.Start(t)
	trust := withEnv("TRUSTED_PROXIES", "127.0.0.0/8") // the test is the proxy: X-Forwarded-For names the client
	a := startAPI(t, withRedis(srv), trust)
	a.startInstance(withEnv("ADMIN_USERS", "front_desk:"+apiAdminHash+",dr_lee:"+apiAdminHash), withRedis(srv), trust)
	for i := range 5 {
		if got := a.loginAt(a.urls[i%2], "front_desk", "wrong-guess", "198.51.100.7"); got != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, got)
		}
	}
	for i, base := range a.urls {
		if got := a.loginAt(base, "front_desk", "wrong-guess", "198.51.100.7"); got != http.StatusTooManyRequests {
			t.Errorf("6th guess on replica %d: %d, want 429", i, got)
		}
	}
	// A flood of made-up ids from the blocked client resets nothing.
	for i := range 200 {
		a.loginAt(a.urls[i%2], "made-up-"+strconv.Itoa(i), "x", "198.51.100.7")
	}
	if got := a.loginAt(a.urls[1], "front_desk", apiPassword, "198.51.100.7"); got != http.StatusTooManyRequests {
		t.Errorf("after the flood the guessing client got %d, want still 429", got)
	}
	// The real admin, from another network, still logs in.
	if got := a.loginAt(a.urls[0], "front_desk", apiPassword, "203.0.113.20"); got != http.StatusOK {
		t.Errorf("the admin from another client: %d, want 200", got)
	}
	// One IPv6 /64 is one client.
	for i := range 20 {
		a.loginAt(a.urls[i%2], "v6-"+strconv.Itoa(i), "x", fmt.Sprintf("2001:db8::%x", i+2))
	}
	if got := a.loginAt(a.urls[0], "dr_lee", apiPassword, "2001:db8::ffff"); got != http.StatusTooManyRequests {
		t.Errorf("a new address in the same /64: %d, want 429", got)
	}
}

func TestARedisOutageCausesNo5xx(t *testing.T) {
	srv := redistest.Start(t)
	a := twoReplicas(t, srv)
	srv.Stop()
	h := a.harness
	for i, base := range h.urls {
		from := fmt.Sprintf("+1201555017%d", i)
		req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, base, "/receive-sms",
			h.form(sms{Sid: twiliotest.NewMessageSid(), From: from, Body: "Texting while Redis is down"}))
		if err != nil {
			t.Fatal(err)
		}
		if r := send(req); r.status != http.StatusOK {
			t.Errorf("inbound on replica %d: %d %s", i, r.status, r.body)
		}
		id := "reply-outage-" + strconv.Itoa(i)
		h.write(adminReply(id, "We will call you back today"))
		if r := send(h.messageNew(base, id, 1)); r.status != http.StatusOK {
			t.Errorf("reply on replica %d: %d %s", i, r.status, r.body)
		}
		sent := h.twilio.MessagesTo(patient)
		if r := send(h.callback(base, id, sent[len(sent)-1].Sid, "delivered")); r.status != http.StatusOK {
			t.Errorf("status on replica %d: %d %s", i, r.status, r.body)
		}
		if got := a.loginAt(base, "front_desk", apiPassword, ""); got != http.StatusOK {
			t.Errorf("login on replica %d: %d", i, got)
		}
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(metrics), "smsbridge_coordination_store_up 0") {
			t.Errorf("replica %d's gauge does not show the outage", i)
		}
		if ready, err := http.Get(base + "/readyz"); err != nil || ready.StatusCode != http.StatusOK {
			t.Errorf("replica %d is not ready during a Redis outage: %v", i, err)
		} else {
			ready.Body.Close()
		}
	}
}
