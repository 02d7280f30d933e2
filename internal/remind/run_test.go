package remind

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
)

// testBatch is a batch on validEnv's configuration; rows whose number is
// bad are refused before anything is called.
func testBatch(t *testing.T) *app.Batch {
	t.Helper()
	validEnv(t)
	cfg, err := config.LoadFile("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := app.NewBatch(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// badRows are n rows whose number no region accepts.
func badRows(n int) []row {
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{Num: i + 1, Line: i + 2, Phone: "not a number", Text: "See you"}
	}
	return rows
}

func TestADryRunIsNotPacedAndASendingRunIs(t *testing.T) {
	b := testBatch(t)
	const n = 50
	for _, dry := range []bool{true, false} {
		t.Run(fmt.Sprintf("dry run %v", dry), func(t *testing.T) {
			run := newRun(b, options{dryRun: dry, perMinute: 1}, "front_desk", newProgress(io.Discard, zerolog.Nop(), n))
			waits := 0
			run.wait = func(context.Context, time.Time) error { waits++; return nil }
			results := run.all(t.Context(), badRows(n))
			want := n
			if dry {
				want = 0
			}
			if waits != want {
				t.Errorf("paced %d times over %d rows, want %d", waits, n, want)
			}
			if results[n-1].Outcome != bridge.RowRefused {
				t.Errorf("last row = %+v, want refused", results[n-1])
			}
		})
	}
}

func TestAStoppedDryRunReportsTheRowsNotReached(t *testing.T) {
	b := testBatch(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	run := newRun(b, options{dryRun: true, perMinute: 1}, "front_desk", newProgress(io.Discard, zerolog.Nop(), 3))
	for _, res := range run.all(ctx, badRows(3)) {
		if res.Code != "interrupted" || !strings.Contains(res.Reason, "nothing of it was sent") {
			t.Errorf("row = %+v, want interrupted", res)
		}
	}
}

func TestAFailedRowNamesTheUnreachableVendor(t *testing.T) {
	b := testBatch(t) // Stream and Twilio at 127.0.0.1:1, where nothing listens
	run := newRun(b, options{dryRun: true, perMinute: 6000}, "front_desk", newProgress(io.Discard, zerolog.Nop(), 1))
	res := run.all(t.Context(), []row{{Num: 1, Line: 2, Phone: "+12015550123", Text: "See you"}})[0]
	if res.Outcome != bridge.RowFailed || !strings.Contains(res.Reason, "Stream at 127.0.0.1:1: connection refused") {
		t.Errorf("row = %+v, want failed naming Stream's host and connection refused", res)
	}
	for _, secret := range []string{"stream-secret-value", "remindtesttoken", "2015550123", "See you"} {
		if strings.Contains(res.Reason, secret) {
			t.Errorf("reason %q holds %q", res.Reason, secret)
		}
	}
}
