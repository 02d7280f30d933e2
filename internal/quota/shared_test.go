package quota_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/quota"
)

func TestReplicasSharingAStoreSpendOneWindowTogether(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	w := quota.Window{Limit: 10, Remaining: 10, Reset: now.Add(time.Minute)}
	store := coord.NewMemory()
	a, b := quota.NewShared(store), quota.NewShared(store)
	a.Observe(ctx, "send_message", w)
	b.Observe(ctx, "send_message", w)
	spent := 0
	for i := range 20 {
		r := a
		if i%2 == 1 {
			r = b
		}
		if r.Take(ctx, "send_message", priority.Inbound, now) == 0 {
			spent++
		}
	}
	if spent != 10 {
		t.Errorf("two replicas spent %d calls of a window of 10", spent)
	}
	if wait := b.Take(ctx, "send_message", priority.Inbound, now); wait <= 0 {
		t.Error("the window was spent but a replica may still call")
	}
}

func TestAStatusWriteLeavesTheSharedReserveToOtherReplicasInboundSMS(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	w := quota.Window{Limit: 10, Remaining: 10, Reset: now.Add(time.Minute)}
	store := coord.NewMemory()
	a, b := quota.NewShared(store), quota.NewShared(store)
	a.Observe(ctx, "update_message_partial", w)
	b.Observe(ctx, "update_message_partial", w)
	for range 8 {
		if a.Take(ctx, "update_message_partial", priority.Send, now) != 0 {
			t.Fatal("a reply was held back with most of the window left")
		}
	}
	if b.Take(ctx, "update_message_partial", priority.Status, now) == 0 {
		t.Error("a status write on the other replica took one of the 2 calls left for inbound SMS")
	}
	if b.Take(ctx, "update_message_partial", priority.Inbound, now) != 0 {
		t.Error("an inbound SMS was held back with 2 calls left")
	}
}

// downStore is a coordination store that does not answer.
type downStore struct{}

func (downStore) Add(context.Context, string, int, time.Duration) (int, error) {
	return 0, errors.New("redis: connection refused")
}

func TestWithTheStoreDownAReplicaKeepsToItsOwnView(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	s := quota.NewShared(downStore{})
	s.Observe(ctx, "send_message", quota.Window{Limit: 10, Remaining: 2, Reset: now.Add(time.Minute)})
	spent := 0
	for range 5 {
		if s.Take(ctx, "send_message", priority.Inbound, now) == 0 {
			spent++
		}
	}
	if spent != 2 {
		t.Errorf("spent %d calls with 2 left and the store down", spent)
	}
}

func TestCallsStreamCountedBeforeTheReplicasDidCountInTheSharedWindow(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	reset := now.Add(time.Minute)
	store := coord.NewMemory()
	a, b := quota.NewShared(store), quota.NewShared(store)
	// Each replica made one call before either knew the window.
	a.Observe(ctx, "send_message", quota.Window{Limit: 6, Remaining: 5, Reset: reset})
	b.Observe(ctx, "send_message", quota.Window{Limit: 6, Remaining: 4, Reset: reset})
	spent := 0
	for i := range 10 {
		r := a
		if i%2 == 1 {
			r = b
		}
		if r.Take(ctx, "send_message", priority.Inbound, now) == 0 {
			spent++
		}
	}
	if spent != 4 {
		t.Errorf("the replicas spent %d calls where Stream had 4 left", spent)
	}
}
