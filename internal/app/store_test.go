package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/redistest"
)

func TestABatchRowWhoseKeyRedisCannotLookUpFailsNamingTheStore(t *testing.T) {
	srv := redistest.Start(t)
	r, err := coord.NewRedis(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := batchStore{&coord.Failover{Primary: r, Backup: coord.NewMemory()}}
	ctx := context.Background()
	s.Put(ctx, "remind:kept-in-memory", []byte(`{}`), time.Hour)
	srv.Stop()
	s.Put(ctx, "remind:kept-in-memory", []byte(`{}`), time.Hour)
	if _, ok, err := s.Get(ctx, "remind:kept-in-memory"); !ok || err != nil {
		t.Fatalf("a row memory holds = %v %v", ok, err)
	}
	_, _, err = s.Get(ctx, "remind:only-redis-knows")
	row := bridge.RowError(fmt.Errorf("read the row's earlier result: %w", err))
	if row.Outcome != bridge.RowFailed || row.Code != "store_unavailable" {
		t.Errorf("row = %+v, want failed with store_unavailable (run again), not refused or blamed on Stream", row)
	}
}
