package coord

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// probeKey is written to test that Primary takes writes again: a full
// (noeviction) or read-only Redis answers reads and refuses it.
const probeKey = "coord-probe:write"

// maxRounds bounds how often a recovery writes back keys that calls at work
// on Backup keep adding before it gives up until the next down period.
const maxRounds = 100

// recover runs once the down period is over: a test write, then each key
// Backup took while Primary was down is merged into Primary and dropped from
// Backup, and Primary is used again when none is left and no call is at work
// on Backup. Any failure keeps the keys not yet written back and starts a new
// down period.
func (f *Failover) recover() {
	ctx, cancel := context.WithTimeout(context.Background(), deadlines.StoreWriteBack)
	defer cancel()
	err := f.Primary.Put(ctx, probeKey, []byte("1"), time.Second)
	for round := 0; err == nil && round < maxRounds; round++ {
		f.mu.Lock()
		keys := f.journal
		if len(keys) == 0 && f.inflight == 0 {
			f.downUntil, f.recovering, f.warnedAt = time.Time{}, false, time.Time{}
			f.mu.Unlock()
			if f.OnChange != nil {
				f.OnChange(true, nil)
			}
			return
		}
		f.journal = nil
		f.mu.Unlock()
		err = f.writeBack(ctx, keys)
		if len(keys) == 0 && err == nil {
			time.Sleep(time.Millisecond) // calls at work on Backup are finishing
		}
	}
	if err != nil {
		f.failed(err, true)
	} else {
		f.failed(context.DeadlineExceeded, false)
	}
	f.mu.Lock()
	f.recovering = false
	f.mu.Unlock()
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
				f.journal[key] = k
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
	case kindPut:
		_, ok, err := f.Primary.Get(ctx, key)
		if err != nil || ok {
			return err
		}
		return f.Primary.Put(ctx, key, value, ttl)
	}
	return nil
}
