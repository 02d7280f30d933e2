package bridge

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"time"
)

// LegacyKeyWindow is how long a bridge still recognises a batch row under
// the unsalted keys of earlier versions (legacyRowKey, legacyStoreKey): a
// row sent by an older version less than this long ago is not sent again.
// Results in the store live as long (BatchRowResult), so after it passes
// nothing the old keys named remains to find.
const LegacyKeyWindow = 24 * time.Hour

// RowKeys makes the keys a batch row is known by: the row key that
// sms_reminder_key carries in Stream when the file gives none, and the name
// of its result in the coordination store. Both cover the patient's number
// and the reminder's text, so both are HMAC-SHA256 with a key derived from
// the app secret (docs/batch.md): someone who reads Stream or Redis and
// guesses a text cannot test numbers against them offline.
type RowKeys struct{ key []byte }

// rowKeyLabel names the derived key's use, so it is never another HMAC's.
const rowKeyLabel = "smsbridge batch row keys v1"

// NewRowKeys derives the row keys' HMAC key from the app secret
// (STREAM_API_SECRET): HMAC-SHA256(secret, rowKeyLabel).
func NewRowKeys(appSecret []byte) *RowKeys {
	mac := hmac.New(sha256.New, appSecret)
	mac.Write([]byte(rowKeyLabel))
	return &RowKeys{key: mac.Sum(nil)}
}

// RowKey is a row's idempotency key when the file gives none: a keyed hash
// of what makes the reminder (number, text, send time, and a location
// other than the first), so the same row in
// the same or another file names the same reminder.
func (k *RowKeys) RowKey(rem Reminder) string {
	return "row-" + hex.EncodeToString(rowDigest(hmac.New(sha256.New, k.key), rem))[:32]
}

// storeKey names the row's result and claim in the coordination store.
func (k *RowKeys) storeKey(rowKey string) string {
	mac := hmac.New(sha256.New, k.key)
	mac.Write([]byte("store\x00"))
	mac.Write([]byte(rowKey))
	return "remind:" + hex.EncodeToString(mac.Sum(nil)[:16])
}

// rowDigest writes what makes the reminder into h, each part ended by a
// zero byte, and returns the sum.
func rowDigest(h hash.Hash, rem Reminder) []byte {
	sendAt := ""
	if !rem.SendAt.IsZero() {
		sendAt = rem.SendAt.UTC().Format(time.RFC3339)
	}
	parts := []string{rem.To.Raw(), rem.Text, sendAt}
	if rem.Location != "" { // only a location other than the first (Batch.keyed)
		parts = append(parts, rem.Location)
	}
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// legacyRowKey is the row key of versions before keyed hashes: unsalted
// SHA-256 of the same parts.
func legacyRowKey(rem Reminder) string {
	return "row-" + hex.EncodeToString(rowDigest(sha256.New(), rem))[:32]
}

// legacyStoreKey is the store name of versions before keyed hashes.
func legacyStoreKey(rowKey string) string {
	sum := sha256.Sum256([]byte(rowKey))
	return "remind:" + hex.EncodeToString(sum[:16])
}
