package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/reconcile"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// reconcileRun is one `smsbridge reconcile` run: exit code, stdout, stderr.
type reconcileRun struct {
	Code           int
	Stdout, Stderr string
}

// summary is the --json output's shape, as an operator's script reads it.
type summary struct {
	DryRun          bool `json:"dry_run"`
	Checked         int  `json:"checked"`
	AlreadyPresent  int  `json:"already_present"`
	Restored        int  `json:"restored"`
	StatusesUpdated int  `json:"statuses_updated"`
	Unconfirmed     int  `json:"unconfirmed"`
	Failed          int  `json:"failed"`
	Items           []struct {
		Sid, Action, Status, Error string
		MessageID                  string `json:"message_id"`
	} `json:"items"`
}

// reconcile runs the command in-process against this harness's fakes (the
// environment start set) and checks its output for PHI and secrets.
func (h *harness) reconcile(args ...string) reconcileRun {
	h.t.Helper()
	var stdout, stderr bytes.Buffer
	code := reconcile.Run(context.Background(), args, &stdout, &stderr)
	run := reconcileRun{code, stdout.String(), stderr.String()}
	h.assertNoSecrets("reconcile output", run.Stdout+run.Stderr)
	return run
}

// reconcileJSON runs the command with --json and decodes the summary.
func (h *harness) reconcileJSON(args ...string) (summary, reconcileRun) {
	h.t.Helper()
	run := h.reconcile(append(args, "--json")...)
	var s summary
	if err := json.Unmarshal([]byte(run.Stdout), &s); err != nil {
		h.t.Fatalf("reconcile --json printed %q (%v); stderr:\n%s", run.Stdout, err, run.Stderr)
	}
	return s, run
}

// assertNoSecrets fails the test when out holds a registered secret (a
// number's digits, a message text, a credential).
func (h *harness) assertNoSecrets(what, out string) {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.secrets {
		if s != "" && strings.Contains(out, s) {
			h.t.Errorf("%s contains %q", what, s)
		}
	}
}

// logInbound records m, sent to the clinic's number, in Twilio's message
// log as a patient's phone would, registers its PHI, and returns the
// incoming-message webhook Twilio sends for it.
func (h *harness) logInbound(m twiliotest.Message) (string, url.Values) {
	h.t.Helper()
	m.To = clinicNumber
	sid := h.twilio.AddInbound(m)
	h.secret(strings.TrimPrefix(m.From, "+"))
	if len(m.Body) >= 8 {
		h.secret(m.Body)
	}
	return sid, h.twilio.InboundWebhookFor(sid)
}

// deliverForm posts a signed incoming-message webhook to the bridge at base.
func (h *harness) deliverForm(base string, form url.Values) response {
	h.t.Helper()
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, base, "/receive-sms", form)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(req)
}

// loseInbound logs m and delivers its webhook while Stream is down: the
// bridge answers 503 and, as after Twilio's last retry, nothing is stored.
func (h *harness) loseInbound(m twiliotest.Message) (string, url.Values) {
	h.t.Helper()
	sid, form := h.logInbound(m)
	h.stream.FailNext(streamtest.OpSendMessage, 1, streamtest.Fault{Status: http.StatusServiceUnavailable})
	if r := h.deliverForm(h.urls[0], form); r.Status != http.StatusServiceUnavailable {
		h.t.Fatalf("webhook during the outage = %d %s, want 503", r.Status, r.Body)
	}
	return sid, form
}

// sameMessage compares what a reader of the chat sees of two messages: id,
// channel, author, text, type, attachments and custom fields.
func sameMessage(t *testing.T, got, want streamtest.Message) {
	t.Helper()
	got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if !bytes.Equal(gj, wj) {
		t.Errorf("restored message differs from the webhook's:\n got  %s\n want %s", gj, wj)
	}
}
