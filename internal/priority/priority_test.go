package priority

import (
	"context"
	"testing"
)

func TestPriorityTravelsInTheContext(t *testing.T) {
	ctx := context.Background()
	if Of(ctx) != Send {
		t.Errorf("default = %v, want send", Of(ctx))
	}
	if Of(With(ctx, Inbound)) != Inbound {
		t.Error("the priority set was not read back")
	}
	if Of(With(With(ctx, Inbound), Status)) != Status {
		t.Error("the innermost priority does not win")
	}
}
