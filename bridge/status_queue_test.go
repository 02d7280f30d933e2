package bridge_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// heldQueue is a StatusQueue whose items are all due at once.
type heldQueue struct{ items map[string]bool }

func (q *heldQueue) Hold(_ context.Context, item []byte, _ time.Time) error {
	q.items[string(item)] = true
	return nil
}

func (q *heldQueue) Take(context.Context, time.Time, time.Duration, int) ([][]byte, error) {
	var out [][]byte
	for item := range q.items {
		out = append(out, []byte(item))
	}
	return out, nil
}

func (q *heldQueue) Done(_ context.Context, item []byte) error {
	delete(q.items, string(item))
	return nil
}

var errWindowClosed = fmt.Errorf("stream update_message: rate limited: %w", bridge.ErrUnavailable)

func TestAStatusTheChatCannotTakeIsHeldAndAppliedInOrder(t *testing.T) {
	for _, tc := range []struct {
		name, held, later, want string
	}{
		{"a held delivered lands after a later sent", "delivered", "sent", "delivered"},
		{"a held sent never replaces a later delivered", "sent", "delivered", "delivered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := newFakeChat(replyID)
			q := &heldQueue{items: map[string]bool{}}
			s := &bridge.Statuses{Chat: chat, Queue: q}
			ctx := context.Background()
			chat.failNext("update_message", errWindowClosed)
			out, err := s.Update(ctx, bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: tc.held})
			if err != nil || out != bridge.OutcomeQueued {
				t.Fatalf("Update = %v, %v; want queued, no error (Twilio gets 200)", out, err)
			}
			if _, err := s.Update(ctx, bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: tc.later}); err != nil {
				t.Fatal(err)
			}
			applied, dropped, err := s.Drain(ctx, time.Second)
			if err != nil || applied != 1 || dropped != 0 || len(q.items) != 0 {
				t.Fatalf("Drain = %d applied, %d dropped, %v, %d left; want the one held status applied", applied, dropped, err, len(q.items))
			}
			if got := chat.field(replyID, "sms_status"); got != tc.want {
				t.Errorf("status = %v, want %s", got, tc.want)
			}
		})
	}
}

func TestAHeldStatusTheChatStillRefusesStaysHeld(t *testing.T) {
	chat := newFakeChat(replyID)
	q := &heldQueue{items: map[string]bool{}}
	s := &bridge.Statuses{Chat: chat, Queue: q}
	chat.failNext("update_message", errWindowClosed, errWindowClosed)
	if out, _ := s.Update(context.Background(), bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: "delivered"}); out != bridge.OutcomeQueued {
		t.Fatalf("outcome %v, want queued", out)
	}
	if applied, _, _ := s.Drain(context.Background(), time.Second); applied != 0 || len(q.items) != 1 {
		t.Fatalf("%d applied, %d held; want it held again", applied, len(q.items))
	}
	if _, _, _ = s.Drain(context.Background(), time.Second); chat.field(replyID, "sms_status") != "delivered" {
		t.Errorf("status = %v once the window opened, want delivered", chat.field(replyID, "sms_status"))
	}
}
