package remind

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/adminapi"
	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// batchRun sends a file's rows in order, one at a time, paced.
type batchRun struct {
	batch       *app.Batch
	admin       string
	dryRun      bool
	whenAllowed bool          // rows inside quiet hours are scheduled for their end
	every       time.Duration // at least this long between two rows' starts
	paced       bool          // false in a dry run: it sends nothing, so no limit applies
	wait        func(ctx context.Context, until time.Time) error
	progress    *progress
}

// newRun is a run of the file as o asks: paced at --per-minute when it
// sends, unpaced in a dry run.
func newRun(b *app.Batch, o options, admin string, p *progress) *batchRun {
	return &batchRun{batch: b, admin: admin, dryRun: o.dryRun, whenAllowed: o.whenAllow,
		every: time.Minute / time.Duration(o.perMinute), paced: !o.dryRun, wait: sleepUntil, progress: p}
}

// all sends every row and returns their results in row order. When ctx
// ends, the rows not reached are failed as "interrupted": nothing of them
// was sent.
func (r *batchRun) all(ctx context.Context, rows []row) []bridge.RowResult {
	results := make([]bridge.RowResult, len(rows))
	next := time.Now()
	for i, rw := range rows {
		if err := r.pace(ctx, next); err != nil {
			for j := i; j < len(rows); j++ {
				results[j] = bridge.RowResult{Outcome: bridge.RowFailed, Code: "interrupted",
					Reason: "The run was stopped before this row; nothing of it was sent."}
			}
			break
		}
		next = time.Now().Add(r.every)
		results[i] = r.one(ctx, rw)
		r.progress.row(rw, results[i], i+1)
	}
	r.progress.done()
	return results
}

// pace waits until next when the run is paced; either way it returns
// ctx's error once ctx has ended.
func (r *batchRun) pace(ctx context.Context, next time.Time) error {
	if !r.paced {
		return ctx.Err()
	}
	return r.wait(ctx, next)
}

// one sends (or, in a dry run, checks) a row within a reminder's budget.
func (r *batchRun) one(ctx context.Context, rw row) bridge.RowResult {
	rem, err := r.batch.Reminder(r.admin, adminapi.ReminderRequest{PhoneNumber: rw.Phone, MessageText: rw.Text,
		Template: rw.Template, Params: rw.Params, SendAt: rw.SendAt, WhenAllowed: r.whenAllowed, Location: rw.Location})
	if err != nil {
		return bridge.RowError(err)
	}
	rem.Key = rw.Key // empty: the batch keys the row by its content (bridge.RowKeys)
	ctx, cancel := context.WithTimeout(ctx, deadlines.BatchRow)
	defer cancel()
	if r.dryRun {
		return r.batch.Check(ctx, rem)
	}
	return r.batch.Send(ctx, rem)
}

func sleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
