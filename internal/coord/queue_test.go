package coord_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/redistest"
)

func TestQueuesLeaseWhatTheyHandOut(t *testing.T) {
	queues := map[string]func(t *testing.T) coord.Queue{
		"memory": func(*testing.T) coord.Queue { return &coord.MemoryQueue{Max: 10} },
		"redis": func(t *testing.T) coord.Queue {
			r, err := coord.NewRedis(redistest.Start(t).URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = r.Close() })
			return r.Queue("test")
		},
	}
	for name, newQueue := range queues {
		t.Run(name, func(t *testing.T) {
			q, ctx := newQueue(t), context.Background()
			now := time.Now()
			if err := q.Hold(ctx, []byte("a"), now.Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if err := q.Hold(ctx, []byte("later"), now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			got, err := q.Take(ctx, now, 30*time.Second, 10)
			if err != nil || len(got) != 1 || string(got[0]) != "a" {
				t.Fatalf("Take = %q, %v; want only the due item", got, err)
			}
			if again, _ := q.Take(ctx, now.Add(time.Second), 30*time.Second, 10); len(again) != 0 {
				t.Fatalf("a leased item was handed out again: %q", again)
			}
			// Its taker died: after the lease any replica gets it.
			if after, _ := q.Take(ctx, now.Add(31*time.Second), 30*time.Second, 10); len(after) != 1 {
				t.Fatalf("after the lease Take = %q, want the item again", after)
			}
			if err := q.Done(ctx, []byte("a")); err != nil {
				t.Fatal(err)
			}
			if rest, _ := q.Take(ctx, now.Add(2*time.Minute), 30*time.Second, 10); len(rest) != 1 || string(rest[0]) != "later" {
				t.Fatalf("Take = %q, want only the later item once due", rest)
			}
		})
	}
}

func TestAMemoryQueueIsBounded(t *testing.T) {
	q := &coord.MemoryQueue{Max: 2}
	ctx := context.Background()
	for _, item := range []string{"a", "b"} {
		if err := q.Hold(ctx, []byte(item), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Hold(ctx, []byte("c"), time.Now()); !errors.Is(err, coord.ErrQueueFull) {
		t.Errorf("third item: %v, want ErrQueueFull", err)
	}
	if err := q.Hold(ctx, []byte("a"), time.Now().Add(time.Second)); err != nil {
		t.Errorf("holding a held item again (new due time): %v", err)
	}
}
