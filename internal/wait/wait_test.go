package wait_test

import (
	"context"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/wait"
)

func TestAWaitEndsWithItsCaller(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if wait.For(ctx, time.Hour) {
		t.Error("For reported a whole hour gone by for a caller that had already left")
	}
	if !wait.For(t.Context(), time.Millisecond) {
		t.Error("For reported a 1 ms wait cut short with the caller still there")
	}
}
