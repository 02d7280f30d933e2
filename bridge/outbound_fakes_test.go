package bridge_test

import (
	"context"
	"sync"

	"github.com/smsbridge/smsbridge/bridge"
)

// recordingSMS is a bridge.Sender that records messages and answers with err
// (once per entry in errs, then success).
type recordingSMS struct {
	mu   sync.Mutex
	sent []bridge.OutboundMessage
	errs []error
	n    int
}

func (r *recordingSMS) Send(ctx context.Context, m bridge.OutboundMessage) (bridge.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) > 0 {
		err := r.errs[0]
		r.errs = r.errs[1:]
		return bridge.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return bridge.Receipt{}, err
	}
	r.n++
	r.sent = append(r.sent, m)
	return bridge.Receipt{Sid: "SM" + string(rune('a'+r.n)), Status: "queued"}, nil
}
