package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

// leftPending runs a reply through Stream's three attempts: Twilio fails
// the first, the chat fails every read and write of the other two, so the
// reply is left "pending … retrying" with nothing sent.
func leftPending(t *testing.T, created time.Time) *fakeChat {
	t.Helper()
	out, chat, sms := newOutbound(replyID)
	chat.messages[replyID] = bridge.ChatMessage{ID: replyID, ChannelID: "12015550123", CreatedAt: created, Fields: map[string]any{}}
	sms.errs = []error{bridge.ErrUnavailable}
	ev := adminReply("Your test results are ready")
	if _, err := out.Relay(context.Background(), ev); err == nil {
		t.Fatal("attempt 1 succeeded; want Twilio's failure")
	}
	// The retries carry the channel's fields, so the read that fails is the
	// message's read-back; the last attempt's "unconfirmed" write fails too.
	ev.Channel = &bridge.ChannelState{Phone: bridge.SenderPhone("+12015550123")}
	for attempt := 2; attempt <= 3; attempt++ {
		chat.failNext("get", bridge.ErrUnavailable)
		if attempt == 3 {
			chat.failNext("update_message", bridge.ErrUnavailable)
		}
		ev.Attempt = attempt
		if _, err := out.Relay(context.Background(), ev); err == nil {
			t.Fatalf("attempt %d succeeded; want the chat's failure", attempt)
		}
	}
	if chat.field(replyID, bridge.FieldStatus) != bridge.StatusPending || len(sms.sent) != 0 {
		t.Fatalf("after Stream's attempts: marks %v, %d SMS; want pending and none", chat.messages[replyID].Fields, len(sms.sent))
	}
	return chat
}

func pendingReconciler(chat *fakeChat, now time.Time) *bridge.Reconciler {
	r := newReconciler(&smsLog{}, chat)
	r.Now = func() time.Time { return now }
	return r
}

func TestAReplyLeftPendingAfterStreamsRetriesIsMarkedUnconfirmed(t *testing.T) {
	created := time.Now().Add(-10 * time.Minute)
	chat := leftPending(t, created)
	rep := pendingReconciler(chat, time.Now()).Run(context.Background(), created.Add(-time.Hour))
	if rep.Unconfirmed != 1 || rep.Failed != 0 || rep.Items[0].MessageID != replyID || rep.Items[0].Action != bridge.ActionUnconfirmed {
		t.Fatalf("report = %+v", rep)
	}
	// The same reason the bridge writes after Stream's last attempt.
	last, _, _ := newOutbound(replyID)
	lastChat := last.Chat.(*fakeChat)
	last.Sender = &recordingSMS{errs: []error{bridge.ErrUnavailable}}
	ev := adminReply("Your test results are ready")
	ev.Attempt = 3
	_, _ = last.Relay(context.Background(), ev)
	for _, f := range []string{bridge.FieldStatus, bridge.FieldErrorCode, bridge.FieldError, bridge.FieldDirection} {
		if got, want := chat.field(replyID, f), lastChat.field(replyID, f); got != want {
			t.Errorf("%s = %v, want %v (as Stream's last attempt writes it)", f, got, want)
		}
	}
	if chat.field(replyID, bridge.FieldStatus) != bridge.StatusUnconfirmed {
		t.Errorf("status = %v, want unconfirmed", chat.field(replyID, bridge.FieldStatus))
	}
}

func TestAReplyPendingWithinStreamsRetryWindowIsLeftAlone(t *testing.T) {
	created := time.Now().Add(-30 * time.Second)
	chat := leftPending(t, created)
	rep := pendingReconciler(chat, time.Now()).Run(context.Background(), created.Add(-time.Hour))
	if rep.Unconfirmed != 0 || chat.field(replyID, bridge.FieldStatus) != bridge.StatusPending {
		t.Errorf("report %+v, status %v; want the pending reply left to Stream's retries", rep, chat.field(replyID, bridge.FieldStatus))
	}
}

func TestUnconfirmingNeverOverwritesALaterStatus(t *testing.T) {
	created := time.Now().Add(-10 * time.Minute)
	chat := leftPending(t, created)
	r := pendingReconciler(chat, time.Now())
	// A callback wrote "delivered" after the search read the message: the
	// status writer's ledger knows it, the search's copy does not.
	ledger := coord.NewMemory()
	r.Statuses = &bridge.Statuses{Chat: chat, Ledger: ledger}
	r.Statuses.Remember(context.Background(), replyID, "delivered")
	writes := chat.count("update_message")
	rep := r.Run(context.Background(), created.Add(-time.Hour))
	if rep.Unconfirmed != 0 || rep.Failed != 0 || chat.count("update_message") != writes {
		t.Errorf("report %+v, %d writes; want nothing written over delivered", rep, chat.count("update_message")-writes)
	}
}

func TestRemindersAndDryRunsAreNotUnconfirmed(t *testing.T) {
	created := time.Now().Add(-10 * time.Minute)
	chat := leftPending(t, created)
	chat.messages["rem-1"] = bridge.ChatMessage{ID: "rem-1", CreatedAt: created,
		Fields: map[string]any{bridge.FieldStatus: bridge.StatusPending, bridge.FieldOrigin: bridge.OriginReminder, bridge.FieldDirection: "outbound"}}
	r := pendingReconciler(chat, time.Now())
	r.DryRun = true
	rep := r.Run(context.Background(), created.Add(-time.Hour))
	if rep.Unconfirmed != 1 || rep.Items[0].MessageID != replyID || chat.field(replyID, bridge.FieldStatus) != bridge.StatusPending {
		t.Errorf("dry run: report %+v, status %v; want the reply reported, not written, the reminder left out", rep, chat.field(replyID, bridge.FieldStatus))
	}
}

func TestRepliesLeftPendingAreFoundEvenWhenTheSMSLogCannotBeListed(t *testing.T) {
	created := time.Now().Add(-10 * time.Minute)
	chat := leftPending(t, created)
	r := pendingReconciler(chat, time.Now())
	r.Log = &smsLog{listErrs: []error{bridge.ErrUpstream, bridge.ErrUpstream, bridge.ErrUpstream}}
	rep := r.Run(context.Background(), created.Add(-time.Hour))
	if rep.Failed != 1 || rep.Unconfirmed != 1 || chat.field(replyID, bridge.FieldStatus) != bridge.StatusUnconfirmed {
		t.Errorf("report %+v; want the listing failed and the reply marked all the same", rep)
	}
}
