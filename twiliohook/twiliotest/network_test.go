package twiliotest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// app is the application end of Twilio's webhooks: it checks each request's
// signature, answers with the next scripted status (200 once the script
// runs out) and records the forms it accepted.
type app struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []int
	forms    []url.Values
	paths    []string
}

func newApp(t *testing.T, statuses ...int) *app {
	t.Helper()
	a := &app{t: t, statuses: statuses}
	a.srv = httptest.NewServer(a)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.t.Errorf("unreadable form: %v", err)
	}
	want := twiliotest.Signature(testToken, a.srv.URL+r.URL.RequestURI(), r.PostForm)
	if got := r.Header.Get("X-Twilio-Signature"); got != want {
		a.t.Errorf("%s: X-Twilio-Signature = %q, want %q", r.URL.Path, got, want)
	}
	a.mu.Lock()
	status := http.StatusOK
	if len(a.statuses) > 0 {
		status, a.statuses = a.statuses[0], a.statuses[1:]
	}
	a.forms = append(a.forms, r.PostForm)
	a.paths = append(a.paths, r.URL.RequestURI())
	a.mu.Unlock()
	w.WriteHeader(status)
}

// request returns the form and path of the i-th request.
func (a *app) request(i int) (url.Values, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.forms[i], a.paths[i]
}

// statusesFor lists the MessageStatus of every status callback for sid.
func (a *app) statusesFor(sid string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, f := range a.forms {
		if f.Get("MessageSid") == sid && f.Get("MessageStatus") != "" {
			out = append(out, f.Get("MessageStatus")+" "+f.Get("ErrorCode"))
		}
	}
	return out
}

func newNetwork(t *testing.T, fake *twiliotest.Server, incomingURL string) *twiliotest.Network {
	t.Helper()
	n := fake.NewNetwork(twiliotest.NetworkOptions{Number: clinic, IncomingURL: incomingURL, Step: 10 * time.Millisecond})
	t.Cleanup(n.Close)
	return n
}

func TestAPhonesTextIsPostedSignedWithTheRetriesItsURLAsksFor(t *testing.T) {
	tests := []struct {
		name         string
		fragment     string
		answers      []int
		wantAttempts int
		wantHTTP     int
	}{
		{"5xx answers are retried when rp=5xx", "#rc=3&rp=5xx", []int{503, 500, 200}, 3, 200},
		{"retries stop at rc", "#rc=1&rp=5xx", []int{503, 503, 200}, 2, 503},
		{"Twilio's default retries only failed connections", "", []int{500, 200}, 1, 500},
		{"a 200 is final", "#rc=3&rp=5xx", nil, 1, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, a := newFake(t), newApp(t, tc.answers...)
			n := newNetwork(t, fake, a.srv.URL+"/receive-sms"+tc.fragment)
			sid, res := n.Text(context.Background(), patient, "Running late")
			if res.Attempts != tc.wantAttempts || res.HTTP != tc.wantHTTP || res.Sid != sid || res.Kind != "incoming" {
				t.Errorf("result = %+v, want %d attempts ending %d", res, tc.wantAttempts, tc.wantHTTP)
			}
			f, _ := a.request(0)
			if f.Get("MessageSid") != sid || f.Get("From") != patient || f.Get("To") != clinic || f.Get("Body") != "Running late" {
				t.Errorf("form = %v", f)
			}
			if conv := fake.Conversation(patient); len(conv) != 1 || conv[0].Direction != "inbound" || conv[0].Sid != sid {
				t.Errorf("conversation = %+v", conv)
			}
		})
	}
}

// send creates a message through the real twilio-go client, with a status
// callback on a.
func send(t *testing.T, fake *twiliotest.Server, a *app, to string) (string, error) {
	t.Helper()
	p := (&openapi.CreateMessageParams{}).SetTo(to).SetFrom(clinic).SetBody("See you at 3").
		SetStatusCallback(a.srv.URL + "/twilio-status?mid=m1")
	m, err := newAPI(t, fake, testToken).CreateMessage(p)
	if err != nil {
		return "", err
	}
	return *m.Sid, nil
}

// waitStatuses polls the app until sid's callbacks number want, for at most 5 s.
func waitStatuses(t *testing.T, a *app, sid string, want []string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && len(a.statusesFor(sid)) < len(want) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := a.statusesFor(sid); !slices.Equal(got, want) {
		t.Errorf("status callbacks = %q, want %q", got, want)
	}
}

func TestSentMessagesAreFollowedByTheCarriersStatusCallbacks(t *testing.T) {
	tests := []struct {
		name        string
		unreachable int
		want        []string
	}{
		{"a reachable phone ends delivered", 0, []string{"queued ", "sent ", "delivered "}},
		{"an unreachable phone ends undelivered with its code", 30003, []string{"queued ", "sent ", "undelivered 30003"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, a := newFake(t), newApp(t)
			n := newNetwork(t, fake, a.srv.URL+"/receive-sms")
			if tc.unreachable != 0 {
				n.Unreachable(patient, tc.unreachable)
			}
			sid, err := send(t, fake, a, patient)
			if err != nil {
				t.Fatal(err)
			}
			waitStatuses(t, a, sid, tc.want)
			if _, p := a.request(0); p != "/twilio-status?mid=m1" {
				t.Errorf("callback went to %s", p)
			}
		})
	}
}

func TestAPhoneThatTextsSTOPIsBlockedUntilItTextsSTART(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	n := newNetwork(t, fake, a.srv.URL+"/receive-sms")
	n.Text(context.Background(), patient, " stop ")
	if _, err := send(t, fake, a, patient); err == nil || restError(t, err).Code != 21610 {
		t.Fatalf("send after STOP: %v, want 21610", err)
	}
	n.Text(context.Background(), patient, "Start")
	if _, err := send(t, fake, a, patient); err != nil {
		t.Errorf("send after START: %v", err)
	}
}

func TestSTOPToOneClinicNumberBlocksOnlyThatNumberOrItsWholeService(t *testing.T) {
	const south, pooled = "+12015550101", "+12015550102"
	fake, a := newFake(t), newApp(t)
	fake.AddService(twiliotest.MessagingService{Sid: testService, Numbers: []string{south, pooled}})
	n := fake.NewNetwork(twiliotest.NetworkOptions{Number: clinic, Numbers: []string{south, pooled}, IncomingURL: a.srv.URL + "/receive-sms", Step: 10 * time.Millisecond})
	t.Cleanup(n.Close)
	from := func(sender string, service bool) error {
		p := (&openapi.CreateMessageParams{}).SetTo(patient).SetBody("See you at 3")
		if service {
			p.SetMessagingServiceSid(sender)
		} else {
			p.SetFrom(sender)
		}
		_, err := newAPI(t, fake, testToken).CreateMessage(p)
		return err
	}
	if _, res := n.TextTo(context.Background(), patient, south, "STOP"); res.HTTP != http.StatusOK {
		t.Fatalf("STOP to the south number: %+v", res)
	}
	if form, _ := a.request(0); form.Get("To") != south {
		t.Errorf("the webhook's To = %q, want the number texted", form.Get("To"))
	}
	for _, tc := range []struct {
		name, sender string
		service      bool
		blocked      bool
	}{
		{"the number texted STOP refuses", south, false, true},
		{"the service whose pool holds it refuses", testService, true, true},
		{"another number of that pool refuses (Twilio opts out of the whole service)", pooled, false, true},
		{"a number outside the pool still sends", clinic, false, false},
	} {
		err := from(tc.sender, tc.service)
		if blocked := err != nil && restError(t, err).Code == 21610; blocked != tc.blocked || (err != nil && !blocked) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	n.TextTo(context.Background(), patient, south, "START")
	if err := from(south, false); err != nil {
		t.Errorf("after START: %v", err)
	}
	if _, res := n.TextTo(context.Background(), patient, "+12015550199", "hi"); res.Err == nil {
		t.Error("a text to a number the network does not have was posted")
	}
}

func TestAScheduledMessageWaitsForItsTimeThenIsSent(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	n := newNetwork(t, fake, a.srv.URL+"/receive-sms")
	p := (&openapi.CreateMessageParams{}).SetTo(patient).SetMessagingServiceSid(testService).SetBody("See you at 3").
		SetScheduleType("fixed").SetSendAt(time.Now().Add(time.Hour)).SetStatusCallback(a.srv.URL + "/twilio-status?mid=m1")
	m, err := newAPI(t, fake, testToken).CreateMessage(p)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // ten carrier steps: an unscheduled message would be delivered by now
	if got := a.statusesFor(*m.Sid); len(got) != 0 {
		t.Fatalf("a message scheduled an hour ahead reported %q already", got)
	}
	if got, _ := fake.Message(*m.Sid); got.Status != "scheduled" {
		t.Fatalf("status = %q before its time, want scheduled", got.Status)
	}
	if sent := n.SendScheduledNow(); sent != 1 {
		t.Fatalf("SendScheduledNow sent %d messages, want 1", sent)
	}
	waitStatuses(t, a, *m.Sid, []string{"queued ", "sent ", "delivered "})
	if n.SendScheduledNow() != 0 {
		t.Error("a message was sent twice")
	}
}

func TestAScheduledMessageIsSentWhenItsTimeComesWithNobodySkippingAhead(t *testing.T) {
	fake, a := newFake(t), newApp(t)
	n := newNetwork(t, fake, a.srv.URL+"/receive-sms")
	p := (&openapi.CreateMessageParams{}).SetTo(patient).SetMessagingServiceSid(testService).SetBody("See you at 3").
		SetScheduleType("fixed").SetSendAt(time.Now().Add(time.Hour)).SetStatusCallback(a.srv.URL + "/twilio-status?mid=m1")
	m, err := newAPI(t, fake, testToken).CreateMessage(p)
	if err != nil {
		t.Fatal(err)
	}
	if !n.BringForward(*m.Sid, 20*time.Millisecond) {
		t.Fatal("the scheduled message is not waiting for its time")
	}
	waitStatuses(t, a, *m.Sid, []string{"queued ", "sent ", "delivered "})
	if n.SendScheduledNow() != 0 {
		t.Error("a message sent at its time was still waiting")
	}
}

func TestAStatusCallbackAnswered503IsRedeliveredAsItsURLsFragmentAsks(t *testing.T) {
	tests := []struct {
		name         string
		fragment     string
		wantAttempts int
		wantHTTP     int
	}{
		{"with rc=5 and rp=5xx the callback is tried until it is taken", "#rc=5&rp=ct,rt,5xx", 3, 200},
		{"without overrides a 503 is final", "", 1, 503},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, a := newFake(t), newApp(t, 503, 503) // the first callback's first two attempts
			var mu sync.Mutex
			var results []twiliotest.WebhookResult
			n := fake.NewNetwork(twiliotest.NetworkOptions{Number: clinic, IncomingURL: a.srv.URL + "/receive-sms",
				Step: 10 * time.Millisecond, Report: func(r twiliotest.WebhookResult) {
					mu.Lock()
					defer mu.Unlock()
					results = append(results, r)
				}})
			t.Cleanup(n.Close)
			p := (&openapi.CreateMessageParams{}).SetTo(patient).SetFrom(clinic).SetBody("See you at 3").
				SetStatusCallback(a.srv.URL + "/twilio-status?mid=m1" + tc.fragment)
			m, err := newAPI(t, fake, testToken).CreateMessage(p)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"queued ", "sent ", "delivered "}
			waitStatuses(t, a, *m.Sid, append(slices.Repeat([]string{"queued "}, tc.wantAttempts-1), want...))
			mu.Lock()
			defer mu.Unlock()
			if len(results) == 0 || results[0].Status != "queued" || results[0].Attempts != tc.wantAttempts || results[0].HTTP != tc.wantHTTP {
				t.Errorf("first callback ended %+v, want %d attempts ending %d", results, tc.wantAttempts, tc.wantHTTP)
			}
			if _, p := a.request(0); p != "/twilio-status?mid=m1" {
				t.Errorf("callback went to %s, want the URL without its fragment", p)
			}
		})
	}
}

func TestRetriesStopWhenTheWebhooksTotalTimeRunsOut(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(300 * time.Millisecond)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(slow.Close)
	fake := newFake(t)
	n := newNetwork(t, fake, slow.URL+"/receive-sms#rc=5&rp=5xx&tt=700")
	began := time.Now()
	_, res := n.Text(context.Background(), patient, "Running late")
	if res.Attempts > 3 || res.Attempts < 2 {
		t.Errorf("%d attempts of 300 ms within tt=700, want 2 or 3", res.Attempts)
	}
	if d := time.Since(began); d > 1500*time.Millisecond {
		t.Errorf("the webhook took %v, past its total time", d)
	}
}
