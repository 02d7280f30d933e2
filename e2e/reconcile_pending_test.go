package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// A reply Twilio failed whose retries then met a failing Stream is left
// "pending … retrying" with nothing sent; Twilio's log cannot know it, so
// reconcile finds it in the chat by its status (issue 14, item 1).

// leaveReplyPending delivers reply id as Stream does three times: Twilio
// fails the first attempt's send, Stream fails the reads of the other two
// and the last attempt's "unconfirmed" write.
func (h *harness) leaveReplyPending(id string, created time.Time) {
	h.t.Helper()
	r := adminReply(id, "Please call us about your results")
	r.CreatedAt = created
	h.write(r)
	h.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: http.StatusServiceUnavailable})
	if a := h.deliver(id, 1); a.Status != http.StatusServiceUnavailable {
		h.t.Fatalf("attempt 1: %d %s, want 503", a.Status, a.Body)
	}
	fault := streamtest.Fault{Status: http.StatusInternalServerError}
	h.stream.FailNext(streamtest.OpQueryChannel, 2, fault)
	h.stream.FailNext(streamtest.OpGetMessage, 2, fault)
	h.stream.FailNext(streamtest.OpUpdateMessagePartial, 1, fault)
	for attempt := 2; attempt <= 3; attempt++ {
		if a := h.deliver(id, attempt); a.Status != http.StatusServiceUnavailable {
			h.t.Fatalf("attempt %d: %d %s, want 503", attempt, a.Status, a.Body)
		}
	}
	h.stream.ClearFaults()
	if m, _ := h.stream.Message(id); m.Custom["sms_status"] != "pending" || len(h.twilio.Messages()) != 0 {
		h.t.Fatalf("after Stream's attempts: marks %v, %d SMS; want pending and none", m.Custom, len(h.twilio.Messages()))
	}
}

func TestReconcileMarksAReplyLeftPendingAfterStreamsRetriesUnconfirmed(t *testing.T) {
	h := startWithPatient(t)
	h.leaveReplyPending("reply-old", time.Now().Add(-10*time.Minute))
	h.leaveReplyPending("reply-new", time.Now())

	dry := h.reconcile("--since", "1h", "--dry-run")
	if !strings.Contains(dry.Stdout, "would mark reply reply-old unconfirmed") || strings.Contains(dry.Stdout, "reply-new") {
		t.Errorf("dry run printed:\n%s", dry.Stdout)
	}
	s, run := h.reconcileJSON("--since", "1h")
	if run.Code != 0 || s.Unconfirmed != 1 || s.Failed != 0 {
		t.Fatalf("exit %d, summary %+v\n%s", run.Code, s, run.Stderr)
	}
	old, _ := h.stream.Message("reply-old")
	reason, _ := old.Custom["sms_error"].(string)
	if old.Custom["sms_status"] != "unconfirmed" || old.Custom["sms_error_code"] != "unavailable" || !strings.Contains(reason, "Send the message again") {
		t.Errorf("left-pending reply = %v, want unconfirmed with the plain reason", old.Custom)
	}
	if fresh, _ := h.stream.Message("reply-new"); fresh.Custom["sms_status"] != "pending" {
		t.Errorf("reply within Stream's retry window = %v, want it left pending", fresh.Custom)
	}
	if again, _ := h.reconcileJSON("--since", "1h"); again.Unconfirmed != 0 {
		t.Errorf("a second run marked %d more", again.Unconfirmed)
	}
	if len(h.twilio.Messages()) != 0 {
		t.Errorf("reconcile sent %d SMS", len(h.twilio.Messages()))
	}
}
