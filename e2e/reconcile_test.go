package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// outage is what a Stream outage leaves behind: two messages relayed before
// it, five lost during it (two from a patient texting for the first time,
// two MMS). It returns the lost messages' webhooks by sid.
func outage(h *harness) map[string]url.Values {
	h.t.Helper()
	for _, body := range []string{"before the outage one", "before the outage two"} {
		sid, form := h.logInbound(twiliotest.Message{From: patient, Body: body})
		if r := h.deliverForm(h.urls[0], form); r.Status != http.StatusOK {
			h.t.Fatalf("webhook %s before the outage = %d", sid, r.Status)
		}
	}
	lost := map[string]url.Values{}
	for _, m := range []twiliotest.Message{
		{From: patient, Body: "Can I come at four instead?"},
		{From: patient, Body: "Here is the referral letter", Media: []twiliotest.Media{{ContentType: "application/pdf"}}},
		{From: "+12015550124", Body: "New patient, do you take my insurance?"},
		{From: "+12015550124", Body: "", Media: []twiliotest.Media{{ContentType: "image/jpeg"}, {ContentType: "video/mp4"}}},
		{From: patient, Body: "Thanks, see you then"},
	} {
		sid, form := h.loseInbound(m)
		lost[sid] = form
	}
	return lost
}

func TestReconcileRestoresExactlyTheLostSMSAsTheWebhookWouldHave(t *testing.T) {
	ref := start(t) // the webhook path with Stream up, for comparison
	h := start(t)   // started last: reconcile reads its environment
	lost := outage(h)
	for _, form := range lost {
		assertTwiMLOK(t, ref.deliverForm(ref.urls[0], form))
	}

	s, run := h.reconcileJSON("--since", "1h")
	if run.Code != 0 || s.Checked != 7 || s.AlreadyPresent != 2 || s.Restored != 5 || s.Failed != 0 {
		t.Fatalf("first run: exit %d, summary %+v\n%s", run.Code, s, run.Stderr)
	}
	for sid := range lost {
		got, ok := h.stream.Message(bridge.InboundMessageID(sid))
		want, _ := ref.stream.Message(bridge.InboundMessageID(sid))
		if !ok {
			t.Errorf("%s was not restored", sid)
			continue
		}
		sameMessage(t, got, want)
	}
	if n := len(h.stream.Messages("sms", "12015550123")) + len(h.stream.Messages("sms", "12015550124")); n != 7 {
		t.Errorf("chat holds %d messages, want 7", n)
	}
	var texts []string
	for _, m := range h.stream.Messages("sms", "12015550123") {
		texts = append(texts, m.Text)
	}
	if want := []string{"before the outage one", "before the outage two", "Can I come at four instead?",
		"Here is the referral letter", "Thanks, see you then"}; !slices.Equal(texts, want) {
		t.Errorf("channel order = %q, want the order they were sent", texts)
	}
	if u, ok := h.stream.User("12015550124"); !ok || u.Name != "+1 201-555-0124" || u.Role != "user" {
		t.Errorf("first-contact patient = %+v, %v", u, ok)
	}

	again, run := h.reconcileJSON("--since", "1h")
	if run.Code != 0 || again.Restored != 0 || again.AlreadyPresent != 7 || len(again.Items) != 0 {
		t.Errorf("second run: exit %d, summary %+v", run.Code, again)
	}
}

func TestTwoConcurrentRunsLeaveExactlyOneCopyOfEach(t *testing.T) {
	h := start(t)
	lost := outage(h)
	var wg sync.WaitGroup
	runs := make([]summary, 2)
	codes := make([]int, 2)
	for i := range runs {
		wg.Go(func() {
			var run reconcileRun
			runs[i], run = h.reconcileJSON("--since", "1h")
			codes[i] = run.Code
		})
	}
	wg.Wait()
	if codes[0] != 0 || codes[1] != 0 || runs[0].Restored+runs[1].Restored != len(lost) {
		t.Errorf("runs = %+v, exit codes %v; want %d restores between them", runs, codes, len(lost))
	}
	for sid := range lost {
		if _, ok := h.stream.Message(bridge.InboundMessageID(sid)); !ok {
			t.Errorf("%s missing", sid)
		}
	}
	if n := len(h.stream.Messages("sms", "12015550123")) + len(h.stream.Messages("sms", "12015550124")); n != 7 {
		t.Errorf("chat holds %d messages, want 7 (one copy each)", n)
	}
}

// sendReply has the bridge send an admin reply and returns its Twilio sid;
// no status callback follows, as when callbacks were lost.
func sendReply(h *harness, id, text string) string {
	h.t.Helper()
	h.write(adminReply(id, text))
	assertEmptyOK(h.t, h.deliver(id, 1))
	msgs := h.twilio.Messages()
	return msgs[len(msgs)-1].Sid
}

func TestLostStatusCallbacksEndWithTwiliosFinalStatus(t *testing.T) {
	h := startWithPatient(t)
	delivered := sendReply(h, "reply-1", "Your results are in")
	undelivered := sendReply(h, "reply-2", "Please call the clinic")
	h.twilio.SetStatus(delivered, "delivered", 0)
	h.twilio.SetStatus(undelivered, "undelivered", 30003)

	s, run := h.reconcileJSON("--since", "1h")
	if run.Code != 0 || s.StatusesUpdated != 2 || s.Failed != 0 {
		t.Fatalf("exit %d, summary %+v\n%s", run.Code, s, run.Stderr)
	}
	one, _ := h.stream.Message("reply-1")
	two, _ := h.stream.Message("reply-2")
	if one.Custom["sms_status"] != "delivered" || two.Custom["sms_status"] != "undelivered" ||
		two.Custom["sms_error_code"] != float64(30003) || two.Custom["sms_error"] != bridge.ErrorSentence(30003) {
		t.Errorf("marks = %v / %v", one.Custom, two.Custom)
	}
	if again, _ := h.reconcileJSON("--since", "1h"); again.StatusesUpdated != 0 {
		t.Errorf("second run updated %d statuses, want 0", again.StatusesUpdated)
	}
}

func TestADryRunChangesNothingAndSaysWhatItWouldDo(t *testing.T) {
	h := startWithPatient(t)
	lostSid, _ := h.loseInbound(twiliotest.Message{From: patient, Body: "Is the clinic open Saturday?"})
	replySid := sendReply(h, "reply-1", "Yes, from nine to noon")
	h.twilio.SetStatus(replySid, "delivered", 0)
	h.stream.ResetCalls()

	run := h.reconcile("--since", "1h", "--dry-run")
	if run.Code != 0 || !strings.Contains(run.Stdout, "dry run: nothing was changed") ||
		!strings.Contains(run.Stdout, "would restore "+lostSid) ||
		!strings.Contains(run.Stdout, "would set status of "+replySid+" (reply-1) to delivered") {
		t.Errorf("dry run printed:\n%s", run.Stdout)
	}
	s, _ := h.reconcileJSON("--since", "1h", "--dry-run")
	if !s.DryRun || s.Restored != 1 || s.StatusesUpdated != 1 || len(s.Items) != 2 {
		t.Errorf("dry-run summary = %+v", s)
	}
	for _, op := range []string{streamtest.OpSendMessage, streamtest.OpUpsertUsers, streamtest.OpQueryChannel,
		streamtest.OpUpdateMessagePartial, streamtest.OpUpdateChannelPartial} {
		if n := h.stream.Calls(op); n != 0 {
			t.Errorf("dry run made %d %s calls", n, op)
		}
	}
	if _, ok := h.stream.Message(bridge.InboundMessageID(lostSid)); ok {
		t.Error("dry run restored a message")
	}
}

func TestPagingAndRateLimitsAreHandled(t *testing.T) {
	h := start(t)
	lost := outage(h)
	resetSoon := http.Header{"X-RateLimit-Reset": {strconv.FormatInt(time.Now().Add(time.Second).Unix(), 10)}}
	h.stream.FailNext(streamtest.OpGetMessage, 2, streamtest.Fault{Status: http.StatusTooManyRequests, Header: resetSoon})
	h.stream.FailNext(streamtest.OpSendMessage, 1, streamtest.Fault{Status: http.StatusTooManyRequests, Header: resetSoon})

	s, run := h.reconcileJSON("--since", "1h", "--page-size", "2") // 7 messages: 4 pages
	if run.Code != 0 || s.Checked != 7 || s.Restored != len(lost) || s.Failed != 0 {
		t.Errorf("exit %d, summary %+v\n%s", run.Code, s, run.Stderr)
	}
}

func TestAFailureIsReportedCountedAndExitsNonZero(t *testing.T) {
	h := start(t)
	sid, _ := h.loseInbound(twiliotest.Message{From: patient, Body: "Please cancel my Tuesday visit"})
	h.stream.FailNext(streamtest.OpGetMessage, 1, streamtest.Fault{Status: http.StatusBadRequest})

	run := h.reconcile("--since", "1h")
	if run.Code != 1 || !strings.Contains(run.Stdout, "FAILED "+sid) || !regexp.MustCompile(`failed\s+1\b`).MatchString(run.Stdout) {
		t.Errorf("exit %d, printed:\n%s", run.Code, run.Stdout)
	}
	if !strings.Contains(run.Stderr, `"level":"warn"`) || !strings.Contains(run.Stderr, sid) {
		t.Errorf("the failure was not logged:\n%s", run.Stderr)
	}
	if s, run := h.reconcileJSON("--since", "1h"); run.Code != 0 || s.Restored != 1 {
		t.Errorf("the next run: exit %d, summary %+v", run.Code, s)
	}
}
