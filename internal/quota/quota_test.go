package quota

import (
	"context"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"
)

func TestAnEndpointRunningLowIsSpentByPriority(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	reset := now.Add(40 * time.Second)
	tests := []struct {
		name      string
		remaining int
		p         priority.Priority
		wantWait  bool
	}{
		{"a status write goes while a fifth of the window is left", 21, priority.Status, false},
		{"a status write waits once only the reserve is left", 20, priority.Status, true},
		{"a reply goes where a status write would wait", 20, priority.Send, false},
		{"a reply waits once only the inbound reserve is left", 5, priority.Send, true},
		{"an inbound SMS spends the last call", 1, priority.Inbound, false},
		{"an inbound SMS waits when nothing is left", 0, priority.Inbound, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMemory()
			m.Observe(context.Background(), "send_message", Window{Limit: 100, Remaining: tc.remaining, Reset: reset})
			wait := m.Take(context.Background(), "send_message", tc.p, now)
			if (wait > 0) != tc.wantWait {
				t.Fatalf("wait = %v, want waiting %v", wait, tc.wantWait)
			}
			if tc.wantWait && wait != 40*time.Second {
				t.Errorf("wait = %v, want until the reset (40s)", wait)
			}
		})
	}
}

func TestConcurrentCallersCannotSpendTheSameLastCall(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m := NewMemory()
	m.Observe(context.Background(), "get_message", Window{Limit: 10, Remaining: 3, Reset: now.Add(time.Minute)})
	spent := 0
	for range 10 {
		if m.Take(context.Background(), "get_message", priority.Inbound, now) == 0 {
			spent++
		}
	}
	if spent != 3 {
		t.Errorf("spent %d calls of 3 left", spent)
	}
	if m.Take(context.Background(), "get_message", priority.Inbound, now.Add(time.Minute)) != 0 {
		t.Error("the window turned but the endpoint stayed closed")
	}
}

func TestALateAnswerDoesNotReopenAnEndpoint(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m := NewMemory()
	ctx := context.Background()
	m.Observe(ctx, "send_message", Window{Limit: 10, Remaining: 0, Reset: now.Add(time.Minute)})
	m.Observe(ctx, "send_message", Window{Limit: 10, Remaining: 6, Reset: now.Add(time.Minute)}) // sent earlier, answered later
	m.Observe(ctx, "send_message", Window{Limit: 10, Remaining: 9, Reset: now})                  // an older window
	if got := m.Windows(ctx)["send_message"].Remaining; got != 0 {
		t.Errorf("remaining = %d, want 0", got)
	}
	if m.Take(ctx, "update_message", priority.Status, now) != 0 {
		t.Error("an endpoint Stream never reported on was closed")
	}
}

func TestOnceTheWindowsLengthIsKnownCallersAfterTheTurnArePacedToTheLimit(t *testing.T) {
	ctx := context.Background()
	t0 := time.Unix(1_700_000_000, 0)
	m := NewMemory()
	m.Observe(ctx, "send_message", Window{Limit: 3, Remaining: 0, Reset: t0})
	m.Observe(ctx, "send_message", Window{Limit: 3, Remaining: 0, Reset: t0.Add(5 * time.Second)}) // the next window: 5 s long
	turned := t0.Add(5*time.Second + time.Millisecond)
	let := 0
	for range 10 {
		if m.Take(ctx, "send_message", priority.Inbound, turned) == 0 {
			let++
		}
	}
	if let != 3 {
		t.Errorf("%d of 10 waiting callers were let through after the turn, want the limit, 3", let)
	}
	if wait := m.Take(ctx, "send_message", priority.Inbound, turned); wait <= 0 || wait > 5*time.Second {
		t.Errorf("the 11th waits %v, want until the next turn", wait)
	}
	m.Observe(ctx, "send_message", Window{Limit: 3, Remaining: 2, Reset: t0.Add(10 * time.Second)})
	if got := m.Windows(ctx)["send_message"]; got.Remaining != 2 {
		t.Errorf("remaining = %d after Stream's answer, want Stream's 2", got.Remaining)
	}
}

func TestWithoutAKnownLengthATurnedWindowIsOpen(t *testing.T) {
	ctx := context.Background()
	t0 := time.Unix(1_700_000_000, 0)
	m := NewMemory()
	m.Observe(ctx, "send_message", Window{Limit: 3, Remaining: 0, Reset: t0})
	for i := range 5 {
		if m.Take(ctx, "send_message", priority.Status, t0.Add(time.Second)) != 0 {
			t.Fatalf("call %d after the turn was held back", i)
		}
	}
}
