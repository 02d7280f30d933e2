package bridge_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

// FindReminder serves the fake chat's reminders by row key.
func (f *fakeChat) FindReminder(_ context.Context, channelID string, keys ...string) (bridge.ChatMessage, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("find_reminder"); err != nil {
		return bridge.ChatMessage{}, false, err
	}
	for _, key := range keys {
		for _, m := range f.messages {
			if m.ChannelID == channelID && m.Fields[bridge.FieldReminderKey] == key {
				m.Fields = maps.Clone(m.Fields)
				return m, true, nil
			}
		}
	}
	return bridge.ChatMessage{}, false, nil
}

// rowKeys are the batch tests' row keys, from a made-up app secret.
var rowKeys = bridge.NewRowKeys([]byte("batch-test-app-secret"))

func newBatch() (*bridge.Batch, *fakeChat, *scriptedSMS) {
	r, chat, sms := newReminders(true)
	n := 0
	r.NewID = func() string { n++; return fmt.Sprintf("reminder-%d", n) }
	return &bridge.Batch{Reminders: r, Chat: chat, Store: coord.NewMemory(), Keys: rowKeys}, chat, sms
}

func keyed(text string) bridge.Reminder {
	rem := reminder(text)
	rem.Key = rowKeys.RowKey(rem)
	return rem
}

func TestRowKeyNamesTheReminderNotTheWayItWasTyped(t *testing.T) {
	a, b := reminder("See you at 10."), reminder("See you at 10.")
	b.To, _ = bridge.ParsePhone("+1 201 555 0142", "US")
	if rowKeys.RowKey(a) != rowKeys.RowKey(b) {
		t.Error("the same number typed two ways gives two keys")
	}
	c := reminder("See you at 11.")
	d := reminder("See you at 10.")
	d.SendAt = reminderNow.Add(time.Hour)
	if k := rowKeys.RowKey(a); k == rowKeys.RowKey(c) || k == rowKeys.RowKey(d) || len(k) != 36 {
		t.Errorf("keys %s %s %s: want distinct row-<32 hex>", k, rowKeys.RowKey(c), rowKeys.RowKey(d))
	}
}

func TestABatchRowIsSentOnceAndCarriesItsKey(t *testing.T) {
	b, chat, sms := newBatch()
	rem := keyed("Your appointment is tomorrow at 10.")
	first := b.Send(context.Background(), rem)
	if first.Outcome != bridge.RowSent || first.Sid != "SM1" || first.MessageID != "reminder-1" {
		t.Fatalf("first = %+v", first)
	}
	if got := chat.field("reminder-1", bridge.FieldReminderKey); got != rem.Key {
		t.Errorf("sms_reminder_key = %v, want %s", got, rem.Key)
	}
	again := b.Send(context.Background(), rem)
	if again.Outcome != bridge.RowAlreadySent || len(sms.sent) != 1 {
		t.Errorf("again = %+v, %d sent", again, len(sms.sent))
	}
}

func TestANewProcessFindsTheRowInTheChat(t *testing.T) {
	b, chat, sms := newBatch()
	rem := keyed("Your appointment is tomorrow at 10.")
	b.Send(context.Background(), rem)
	b.Store = coord.NewMemory() // another process: its store knows nothing
	again := b.Send(context.Background(), rem)
	if again.Outcome != bridge.RowAlreadySent || again.MessageID != "reminder-1" || again.Status != "queued" || len(sms.sent) != 1 {
		t.Errorf("again = %+v, %d sent", again, len(sms.sent))
	}
	if chat.count("find_reminder") != 2 {
		t.Errorf("chat looked up the key %d times, want 2", chat.count("find_reminder"))
	}
}

func TestAnEarlierUnconfirmedRowIsNeverSentAgain(t *testing.T) {
	b, chat, sms := newBatch()
	rem := keyed("Your appointment is tomorrow at 10.")
	chat.channels["12015550142"] = map[string]any{}
	chat.messages["reminder-9"] = bridge.ChatMessage{ID: "reminder-9", ChannelID: "12015550142",
		Fields: map[string]any{bridge.FieldReminderKey: rem.Key, bridge.FieldStatus: bridge.StatusUnconfirmed}}
	res := b.Send(context.Background(), rem)
	if res.Outcome != bridge.RowFailed || res.Code != "unconfirmed" || len(sms.sent) != 0 {
		t.Errorf("res = %+v, %d sent", res, len(sms.sent))
	}
}

func TestRefusedRowsSayWhy(t *testing.T) {
	b, chat, sms := newBatch()
	chat.channels["12015550142"] = map[string]any{bridge.FieldOptedOut: true}
	if res := b.Send(context.Background(), keyed("See you tomorrow.")); res.Outcome != bridge.RowRefused || res.Code != "opted_out" {
		t.Errorf("opted out: %+v", res)
	}
	if res := b.Send(context.Background(), keyed("  ")); res.Outcome != bridge.RowRefused || res.Code != "empty_text" {
		t.Errorf("empty: %+v", res)
	}
	if len(sms.sent) != 0 {
		t.Errorf("%d sent", len(sms.sent))
	}
}

func TestARowAnotherRunHoldsIsNotSent(t *testing.T) {
	b, _, sms := newBatch()
	rem := keyed("See you tomorrow.")
	store := coord.NewMemory()
	b.Store = store
	// The other run's claim, under the key's digest, as Send takes it.
	other := &bridge.Batch{Reminders: b.Reminders, Chat: b.Chat, Store: &holdingStore{Memory: store, during: func() {
		if res := b.Send(context.Background(), rem); res.Outcome != bridge.RowFailed || res.Code != "in_progress" {
			t.Errorf("concurrent run: %+v", res)
		}
	}}, Keys: rowKeys}
	if res := other.Send(context.Background(), rem); res.Outcome != bridge.RowSent || len(sms.sent) != 1 {
		t.Errorf("first run: %+v, %d sent", res, len(sms.sent))
	}
}

// holdingStore runs during once, right after the first claim succeeds.
type holdingStore struct {
	*coord.Memory
	during func()
}

func (s *holdingStore) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ok, err := s.Memory.Claim(ctx, key, ttl)
	if ok && s.during != nil {
		f := s.during
		s.during = nil
		f()
	}
	return ok, err
}

func TestDryRunSendsAndWritesNothing(t *testing.T) {
	b, chat, sms := newBatch()
	rem := keyed("See you tomorrow.")
	if res := b.Check(context.Background(), rem); res.Outcome != bridge.RowWouldSend {
		t.Errorf("check = %+v", res)
	}
	rem.SendAt = reminderNow.Add(2 * time.Hour)
	if res := b.Check(context.Background(), rem); res.Outcome != bridge.RowWouldSchedule {
		t.Errorf("check scheduled = %+v", res)
	}
	if len(sms.sent) != 0 || len(chat.messages) != 0 || len(chat.convs) != 0 {
		t.Errorf("dry run wrote: %d sent, %d messages", len(sms.sent), len(chat.messages))
	}
}
