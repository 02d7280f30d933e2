package bridge_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// parts is what a row key covers, as docs/batch.md lists it.
func parts(rem bridge.Reminder) []byte {
	sendAt := ""
	if !rem.SendAt.IsZero() {
		sendAt = rem.SendAt.UTC().Format(time.RFC3339)
	}
	return []byte(rem.To.Raw() + "\x00" + rem.Text + "\x00" + sendAt + "\x00")
}

// unsaltedRowKey is the row key versions before keyed hashes wrote into
// sms_reminder_key: SHA-256 of the parts.
func unsaltedRowKey(rem bridge.Reminder) string {
	sum := sha256.Sum256(parts(rem))
	return "row-" + hex.EncodeToString(sum[:])[:32]
}

// unsaltedStoreKey is where those versions kept a row's result.
func unsaltedStoreKey(rowKey string) string {
	sum := sha256.Sum256([]byte(rowKey))
	return "remind:" + hex.EncodeToString(sum[:16])
}

func TestARowKeyIsAnHMACKeyedFromTheAppSecret(t *testing.T) {
	rem := reminder("See you at 10.")
	derived := hmac.New(sha256.New, []byte("batch-test-app-secret"))
	derived.Write([]byte("smsbridge batch row keys v1"))
	mac := hmac.New(sha256.New, derived.Sum(nil))
	mac.Write(parts(rem))
	if got, want := rowKeys.RowKey(rem), "row-"+hex.EncodeToString(mac.Sum(nil))[:32]; got != want {
		t.Errorf("row key = %s, want the documented HMAC %s", got, want)
	}
	if rowKeys.RowKey(rem) == unsaltedRowKey(rem) || rowKeys.RowKey(rem) == bridge.NewRowKeys([]byte("another secret")).RowKey(rem) {
		t.Error("the row key does not depend on the app secret")
	}
}

func TestARowSentBeforeTheUpgradeIsNotSentAgain(t *testing.T) {
	tests := []struct {
		name     string
		set      func(b *bridge.Batch, chat *fakeChat, rem bridge.Reminder)
		wantSent int
	}{
		{"its result is in the store under the unsalted key", func(b *bridge.Batch, _ *fakeChat, rem bridge.Reminder) {
			_ = b.Store.Put(context.Background(), unsaltedStoreKey(unsaltedRowKey(rem)), []byte(`{"outcome":"sent","sid":"SM0"}`), time.Hour)
		}, 0},
		{"its reminder in the chat carries the unsalted key, posted an hour ago", func(_ *bridge.Batch, chat *fakeChat, rem bridge.Reminder) {
			chat.putReminder(rem.To.ChannelID(), unsaltedRowKey(rem), reminderNow.Add(-time.Hour))
		}, 0},
		{"its reminder with the unsalted key is older than the 24 hours they are recognised", func(_ *bridge.Batch, chat *fakeChat, rem bridge.Reminder) {
			chat.putReminder(rem.To.ChannelID(), unsaltedRowKey(rem), reminderNow.Add(-bridge.LegacyKeyWindow-time.Minute))
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, chat, sms := newBatch()
			rem := reminder("Your appointment is tomorrow at 10.") // no key cell: keyed by its content
			tt.set(b, chat, rem)
			res := b.Send(context.Background(), rem)
			if len(sms.sent) != tt.wantSent {
				t.Errorf("%d sent, want %d (%+v)", len(sms.sent), tt.wantSent, res)
			}
			if tt.wantSent == 0 && res.Outcome != bridge.RowAlreadySent {
				t.Errorf("result = %+v, want already_sent", res)
			}
			if dry := b.Check(context.Background(), rem); dry.Outcome != bridge.RowAlreadySent {
				t.Errorf("dry run after = %+v, want already_sent", dry)
			}
		})
	}
}

func TestAFileKeyedRowKeepsItsKeyAndFindsItsUnsaltedStoreResult(t *testing.T) {
	b, chat, sms := newBatch()
	rem := reminder("Your appointment is tomorrow at 10.")
	rem.Key = "appt-8812"
	_ = b.Store.Put(context.Background(), unsaltedStoreKey("appt-8812"), []byte(`{"outcome":"sent","sid":"SM0"}`), time.Hour)
	if res := b.Send(context.Background(), rem); res.Outcome != bridge.RowAlreadySent || len(sms.sent) != 0 {
		t.Errorf("result = %+v, %d sent; want already_sent and nothing sent", res, len(sms.sent))
	}
	if chat.count("find_reminder") != 0 {
		t.Error("the chat was searched though the store held the result")
	}
}

// putReminder stores a reminder an earlier run posted in channel, carrying
// key, created at created.
func (f *fakeChat) putReminder(channel, key string, created time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.messages["old-"+key] = bridge.ChatMessage{ID: "old-" + key, ChannelID: channel, CreatedAt: created,
		Fields: map[string]any{bridge.FieldReminderKey: key, bridge.FieldStatus: "delivered", bridge.FieldSID: "SM0"}}
}
