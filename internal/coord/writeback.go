package coord

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// probeKey is written to test that Primary takes writes again: a full
// (noeviction) or read-only Redis answers reads and refuses it.
const probeKey = "coord-probe:write"

// maxRounds bounds how often a recovery writes back, without holding up
// any call, the keys that calls on Backup keep adding; the rest is written
// back in its last step, while calls wait.
const maxRounds = 5

// recover runs once the down period is over: a test write, then each key
// Backup took while Primary was down is merged into Primary and dropped from
// Backup. Its last step holds calls to Backup back, writes back what they
// added, and uses Primary again. Any failure, its own or another call's,
// keeps the keys not yet written back and leaves Primary down.
func (f *Failover) recover() {
	ctx, cancel := context.WithTimeout(context.Background(), deadlines.StoreWriteBack)
	defer cancel()
	f.mu.Lock()
	failures := f.failures
	f.mu.Unlock()
	err := f.Primary.Put(ctx, probeKey, []byte("1"), time.Second)
	for round := 0; err == nil && round < maxRounds; round++ {
		keys := f.takeJournal()
		if len(keys) == 0 {
			break
		}
		err = f.writeBack(ctx, keys)
	}
	if err == nil {
		f.gate.Lock()
		if err = f.writeBack(ctx, f.takeJournal()); err == nil {
			f.mu.Lock()
			up := f.failures == failures
			if up {
				f.downUntil, f.warnedAt = time.Time{}, time.Time{}
			}
			f.recovering = false
			f.mu.Unlock()
			f.gate.Unlock()
			if up && f.OnChange != nil {
				f.OnChange(true, nil)
			}
			return
		}
		f.gate.Unlock()
	}
	f.failed(err, true)
	f.mu.Lock()
	f.recovering = false
	f.mu.Unlock()
}

// maxJournal bounds the journal, so a long outage and a flood of made-up
// keys (login ids) cannot grow it past what Backup itself holds.
var maxJournal = 4 * DefaultMaxPerNamespace

// note journals key; f.mu is held. A full journal forgets the keys Backup
// no longer holds (evicted, expired or released), which need no write-back,
// at most once per quarter of its bound in new keys (so a flood costs no
// more than a constant per key); when that frees nothing, key is not
// written back.
func (f *Failover) note(key string, k kind) {
	if f.journal == nil {
		f.journal = map[string]kind{}
	}
	if _, ok := f.journal[key]; !ok {
		f.added++
		if len(f.journal) >= maxJournal && f.added >= maxJournal/4 {
			f.added = 0
			for old := range f.journal {
				if _, _, held := f.Backup.export(old); !held {
					delete(f.journal, old)
				}
			}
		}
		if len(f.journal) >= maxJournal {
			return
		}
	}
	f.journal[key] = k
}

// takeJournal empties the journal and returns what it held.
func (f *Failover) takeJournal() map[string]kind {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := f.journal
	f.journal = nil
	return keys
}

// writeBack merges keys into Primary, deleting each from keys and Backup
// once written; on an error the rest go back into the journal.
func (f *Failover) writeBack(ctx context.Context, keys map[string]kind) error {
	var err error
	for key, k := range keys {
		if err = f.mergeKey(ctx, key, k); err != nil {
			break
		}
		_ = f.Backup.Release(ctx, key)
		delete(keys, key)
	}
	if len(keys) > 0 {
		f.mu.Lock()
		if f.journal == nil {
			f.journal = map[string]kind{}
		}
		for key, k := range keys {
			if _, newer := f.journal[key]; !newer {
				f.note(key, k)
			}
		}
		f.mu.Unlock()
	}
	return err
}

// mergeKey writes Backup's entry for key into Primary the way its kind
// merges: a claim is taken unless another replica holds it, a rank is kept
// when it is higher, a count is added to Primary's, an answer is kept unless
// Primary holds one. An entry that expired or was released needs nothing.
func (f *Failover) mergeKey(ctx context.Context, key string, k kind) error {
	value, ttl, ok := f.Backup.export(key)
	if !ok || ttl <= 0 {
		return nil
	}
	switch k {
	case kindClaim:
		_, err := f.Primary.Claim(ctx, key, ttl)
		return err
	case kindRank:
		mine, _, _ := f.Backup.Rank(ctx, key)
		theirs, ok, err := f.Primary.Rank(ctx, key)
		if err != nil || (ok && theirs >= mine) {
			return err
		}
		return f.Primary.SetRank(ctx, key, mine, ttl)
	case kindCount:
		n, _, _ := f.Backup.Count(ctx, key)
		_, err := f.Primary.Add(ctx, key, n, ttl)
		return err
	case kindRate:
		// Not merged: Redis's allowance stands. What this replica let in
		// meanwhile was at most one burst more, counted here alone.
		return nil
	case kindPut:
		_, ok, err := f.Primary.Get(ctx, key)
		if err != nil || ok {
			return err
		}
		return f.Primary.Put(ctx, key, value, ttl)
	}
	return nil
}
