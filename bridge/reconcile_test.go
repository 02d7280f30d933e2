package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

var (
	t0        = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fastRetry = bridge.Backoff{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}
	patientA  = bridge.SenderPhone("+12015550123")
	patientB  = bridge.SenderPhone("+12015550124")
)

func newReconciler(log *smsLog, chat *fakeChat) *bridge.Reconciler {
	return &bridge.Reconciler{
		Log: log, Chat: chat, Retry: fastRetry,
		Inbound:  &bridge.Inbound{Chat: chat, Admins: []string{"front_desk"}},
		Statuses: &bridge.Statuses{Chat: chat},
	}
}

func received(sid string, from bridge.Phone, body string, minute int) bridge.LoggedSMS {
	return bridge.LoggedSMS{Sid: sid, Inbound: true, Patient: from, Body: body, Status: "received", SentAt: t0.Add(time.Duration(minute) * time.Minute)}
}

func sent(sid string, to bridge.Phone, status string, code int) bridge.LoggedSMS {
	return bridge.LoggedSMS{Sid: sid, Patient: to, Status: status, ErrorCode: code, SentAt: t0}
}

func TestMissingInboundMessagesAreRestoredThroughTheRelayAndOnlyOnce(t *testing.T) {
	chat := newFakeChat()
	mms := received("MM2", patientA, "photo of the rash", 2)
	mms.NumMedia = 1
	log := &smsLog{
		msgs:  []bridge.LoggedSMS{received("SM3", patientB, "running late", 3), mms, received("SM1", patientA, "hello", 1)},
		media: map[string][]bridge.Media{"MM2": {{URL: "https://api.twilio.com/x/Media/ME1", ContentType: "image/jpeg"}}},
	}
	r := newReconciler(log, chat)
	if _, err := r.Inbound.Relay(context.Background(), bridge.InboundSMS{MessageSid: "SM1", From: patientA, Body: "hello"}); err != nil {
		t.Fatal(err)
	}

	rep := r.Run(context.Background(), t0)
	if rep.Checked != 3 || rep.AlreadyPresent != 1 || rep.Restored != 2 || rep.Failed != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if rep.Items[0].Sid != "MM2" || rep.Items[1].Sid != "SM3" {
		t.Errorf("restored in order %v, want oldest first", rep.Items)
	}
	m := chat.messages["sms-MM2"]
	if m.UserID != "12015550123" || m.Fields[bridge.FieldDirection] != "inbound" || len(m.Attachments) != 1 ||
		m.Attachments[0].Type != "image" || m.Attachments[0].URL != "https://api.twilio.com/x/Media/ME1" {
		t.Errorf("restored MMS = %+v", m)
	}
	if again := r.Run(context.Background(), t0); again.Restored != 0 || again.AlreadyPresent != 3 || log.mediaHits != 1 {
		t.Errorf("second run = %+v, media listed %d times; want nothing restored", again, log.mediaHits)
	}
}

func TestADryRunChangesNothingAndSaysWhatItWouldDo(t *testing.T) {
	chat := newFakeChat()
	chat.channels["12015550123"] = map[string]any{}
	chat.messages["reply-1"] = bridge.ChatMessage{ID: "reply-1", ChannelID: "12015550123", Fields: map[string]any{"sms_sid": "SMo", "sms_status": "queued"}}
	log := &smsLog{msgs: []bridge.LoggedSMS{received("SM1", patientA, "hello", 1), sent("SMo", patientA, "delivered", 0)}}
	r := newReconciler(log, chat)
	r.DryRun = true

	rep := r.Run(context.Background(), t0)
	if rep.Restored != 1 || rep.StatusesUpdated != 1 || !rep.DryRun || len(rep.Items) != 2 || rep.Items[1].Status != "delivered" {
		t.Errorf("report = %+v", rep)
	}
	for _, call := range []string{"post", "create", "update_message", "update_channel"} {
		if n := chat.count(call); n != 0 {
			t.Errorf("dry run made %d %s calls", n, call)
		}
	}
	if chat.field("reply-1", "sms_status") != "queued" {
		t.Error("dry run changed a status")
	}
}

func TestOutboundStatusesAreRepairedOnlyWhenTheChatLagsBehind(t *testing.T) {
	tests := []struct {
		name, chatStatus, twilioStatus string
		code                           int
		want                           any
		action                         bridge.ReconcileAction
	}{
		{"a lost delivered callback is written", "queued", "delivered", 0, "delivered", bridge.ActionSetStatus},
		{"a lost undelivered callback brings its reason", "sent", "undelivered", 30003, "undelivered", bridge.ActionSetStatus},
		{"a pending reminder gets Twilio's status", "pending", "sent", 0, "sent", bridge.ActionSetStatus},
		{"a final status is left alone", "delivered", "read", 0, "delivered", bridge.ActionUpToDate},
		{"an equal status needs nothing", "sent", "sent", 0, "sent", bridge.ActionUpToDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chat := newFakeChat()
			chat.messages["reply-1"] = bridge.ChatMessage{ID: "reply-1", ChannelID: "12015550123",
				Fields: map[string]any{"sms_sid": "SMo", "sms_status": tt.chatStatus}}
			rep := newReconciler(&smsLog{msgs: []bridge.LoggedSMS{sent("SMo", patientA, tt.twilioStatus, tt.code)}}, chat).Run(context.Background(), t0)
			if got := chat.field("reply-1", "sms_status"); got != tt.want || rep.Failed != 0 {
				t.Errorf("status = %v (report %+v), want %v", got, rep, tt.want)
			}
			if tt.code != 0 && chat.field("reply-1", "sms_error") != bridge.ErrorSentence(tt.code) {
				t.Errorf("sms_error = %v", chat.field("reply-1", "sms_error"))
			}
			if tt.action == bridge.ActionSetStatus && (rep.StatusesUpdated != 1 || rep.Items[0].MessageID != "reply-1") {
				t.Errorf("report = %+v", rep)
			}
		})
	}
}

func TestOutboundMessagesAreLookedUpInBatchesOfTheirChannels(t *testing.T) {
	chat := newFakeChat()
	var msgs []bridge.LoggedSMS
	for i := range bridge.MaxFindBatch + 1 {
		msgs = append(msgs, sent(fmt.Sprintf("SM%03d", i), patientA, "delivered", 0))
	}
	rep := newReconciler(&smsLog{msgs: msgs}, chat).Run(context.Background(), t0)
	if n := chat.count("find"); n != 2 || rep.Checked != len(msgs) || rep.Failed != 0 {
		t.Errorf("find calls = %d, report %+v; want 2 batches and nothing failed", n, rep)
	}
}

// hinted is a transient error that names when to come back.
type hinted struct{ after time.Duration }

func (h hinted) Error() string             { return "stream: status 429" }
func (h hinted) Unwrap() error             { return bridge.ErrUnavailable }
func (h hinted) RetryAfter() time.Duration { return h.after }

func TestRateLimitedCallsAreRetriedAndWhatStillFailsIsCounted(t *testing.T) {
	tests := []struct {
		name       string
		errs       []error
		restored   int
		failed     int
		wantErrSub string
	}{
		{"one 429 is retried after the vendor's hint", []error{hinted{2 * time.Millisecond}}, 1, 0, ""},
		{"two outages in a row are retried", []error{bridge.ErrUnavailable, bridge.ErrUnavailable}, 1, 0, ""},
		{"an outage longer than the retries is a failure", []error{bridge.ErrUnavailable, bridge.ErrUnavailable, bridge.ErrUnavailable}, 0, 1, "upstream unavailable"},
		{"a refusal is not retried", []error{bridge.ErrUpstream}, 0, 1, "upstream refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chat := newFakeChat()
			chat.failNext("post", tt.errs...)
			rep := newReconciler(&smsLog{msgs: []bridge.LoggedSMS{received("SM1", patientA, "hello", 1)}}, chat).Run(context.Background(), t0)
			if rep.Restored != tt.restored || rep.Failed != tt.failed {
				t.Fatalf("report = %+v", rep)
			}
			if tt.failed > 0 && (rep.Items[0].Sid != "SM1" || !strings.Contains(rep.Items[0].Err.Error(), tt.wantErrSub)) {
				t.Errorf("failure = %+v", rep.Items[0])
			}
		})
	}
}

func TestAFailedMediaListingPostsNothing(t *testing.T) {
	chat := newFakeChat()
	mms := received("MM1", patientA, "", 1)
	mms.NumMedia = 2
	log := &smsLog{msgs: []bridge.LoggedSMS{mms}, mediaErrs: []error{bridge.ErrUpstream}}
	rep := newReconciler(log, chat).Run(context.Background(), t0)
	if rep.Failed != 1 || chat.count("post") != 0 {
		t.Errorf("report = %+v, posts %d; want a failure and no post", rep, chat.count("post"))
	}
}

func TestAFailedLogListingIsOneFailure(t *testing.T) {
	log := &smsLog{listErrs: []error{bridge.ErrUpstream}}
	rep := newReconciler(log, newFakeChat()).Run(context.Background(), t0)
	if rep.Failed != 1 || rep.Checked != 0 || !errors.Is(rep.Items[0].Err, bridge.ErrUpstream) {
		t.Errorf("report = %+v", rep)
	}
}

func TestRestoringAnOldStopDoesNotOverrideANewerStart(t *testing.T) {
	chat := newFakeChat()
	log := &smsLog{msgs: []bridge.LoggedSMS{received("SM1", patientA, "STOP", 1), received("SM2", patientA, "START", 2)}}
	r := newReconciler(log, chat)
	if _, err := r.Inbound.Relay(context.Background(), bridge.InboundSMS{MessageSid: "SM2", From: patientA, Body: "START"}); err != nil {
		t.Fatal(err)
	}
	rep := r.Run(context.Background(), t0)
	if rep.Restored != 1 || chat.channels["12015550123"][bridge.FieldOptedOut] != false {
		t.Errorf("report %+v, opted out = %v; want the newer START to stand", rep, chat.channels["12015550123"][bridge.FieldOptedOut])
	}
}

func TestBackoffWaitsForTheHintButNoLongerThanMax(t *testing.T) {
	b := bridge.Backoff{Attempts: 2, Base: time.Millisecond, Max: 20 * time.Millisecond}
	for _, tt := range []struct {
		name    string
		err     error
		atLeast time.Duration
	}{
		{"without a hint the base is waited", bridge.ErrUnavailable, time.Millisecond},
		{"a hint is waited", hinted{10 * time.Millisecond}, 10 * time.Millisecond},
		{"a long hint is cut to Max", hinted{time.Hour}, 20 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			began := time.Now()
			_ = b.Do(context.Background(), func(context.Context) error { return tt.err })
			if d := time.Since(began); d < tt.atLeast || d > time.Second {
				t.Errorf("waited %v, want at least %v and well under a second", d, tt.atLeast)
			}
		})
	}
}
