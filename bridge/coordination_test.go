package bridge_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

func TestConcurrentDeliveriesOfOneReplySendOneSMS(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	out.Ledger = coord.NewMemory()
	out.Statuses = &bridge.Statuses{Chat: chat, Ledger: out.Ledger}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := out.Relay(context.Background(), adminReply("hello"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, bridge.ErrUnavailable) {
			t.Errorf("a delivery failed with %v, want nil or a retryable ErrUnavailable", err)
		}
	}
	if len(sms.sent) != 1 {
		t.Fatalf("%d SMS sent for one chat message, want 1", len(sms.sent))
	}
	// A later duplicate is answered from the ledger: sent already.
	if outcome, err := out.Relay(context.Background(), adminReply("hello")); outcome != bridge.OutcomeDuplicate || err != nil {
		t.Errorf("a later duplicate = %s, %v; want duplicate", outcome, err)
	}
}

func TestAFailedSendReleasesTheClaimForStreamsRetry(t *testing.T) {
	out, chat, sms := newOutbound(replyID)
	out.Ledger = coord.NewMemory()
	out.Statuses = &bridge.Statuses{Chat: chat, Ledger: out.Ledger}
	sms.errs = []error{bridge.ErrUnavailable}
	if _, err := out.Relay(context.Background(), adminReply("hello")); !errors.Is(err, bridge.ErrUnavailable) {
		t.Fatalf("first attempt: %v, want ErrUnavailable", err)
	}
	retry := adminReply("hello")
	retry.Attempt = 2
	if outcome, err := out.Relay(context.Background(), retry); outcome != bridge.OutcomeSent || err != nil || len(sms.sent) != 1 {
		t.Fatalf("retry = %s, %v, sent %d; want it sent", outcome, err, len(sms.sent))
	}
}

func TestTheRelaysOwnMarkNeverLowersACallbacksStatus(t *testing.T) {
	chat := newFakeChat(replyID)
	st := &bridge.Statuses{Chat: chat, Ledger: coord.NewMemory()}
	ctx := context.Background()
	// Twilio's "delivered" callback lands before the relay writes its mark.
	if _, err := st.Update(ctx, bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: "delivered"}); err != nil {
		t.Fatal(err)
	}
	written, err := st.Write(ctx, replyID, "queued", map[string]any{
		bridge.FieldDirection: bridge.DirectionOutbound, bridge.FieldSID: "SM1", bridge.FieldStatus: "queued"})
	if err != nil || written {
		t.Fatalf("mark = %v, %v; want the status left alone", written, err)
	}
	m := chat.messages[replyID]
	if m.Fields[bridge.FieldStatus] != "delivered" || m.Fields[bridge.FieldSID] != "SM1" {
		t.Errorf("fields = %v, want delivered with its sid", m.Fields)
	}
}

func TestStatusesWrittenConcurrentlyInAnyOrderEndAtTheHighest(t *testing.T) {
	for trial := range 30 {
		chat := newFakeChat(replyID)
		ledger := coord.NewMemory()
		var wg sync.WaitGroup
		for _, s := range []string{"queued", "sent", "sent", "delivered"} {
			wg.Go(func() {
				st := &bridge.Statuses{Chat: chat, Ledger: ledger} // a writer per replica, one store
				if _, err := st.Update(context.Background(), bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: s}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := chat.messages[replyID].Fields[bridge.FieldStatus]; got != "delivered" {
			t.Fatalf("trial %d: status ended %v, want delivered", trial, got)
		}
	}
}
