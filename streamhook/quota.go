package streamhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/smsbridge/smsbridge/internal/priority"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/quota"
	"github.com/smsbridge/smsbridge/internal/wait"
)

// Stream limits every endpoint per app and minute and reports the window on
// every answer (X-RateLimit-Limit, -Remaining, -Reset). Every call goes
// through call (errors.go), which asks the quota view before spending one,
// and through observer, which reads the headers of every answer, from
// stream-chat-go's calls and from the plain ones (post.go) alike.

// SpendByPriority makes c keep its rate-limit view in v and hold calls back
// by priority before Stream refuses them (admit). Without it c only
// observes (metrics) and waits out a 429 that fits the deadline. It returns c.
func (c *Chat) SpendByPriority(v quota.View) *Chat {
	c.quota, c.gate = v, true
	return c
}

type opKey struct{}

// observer reads the rate-limit headers of every Stream answer into the
// chat's view, under the operation call put in the request's context.
type observer struct {
	next http.RoundTripper
	chat *Chat
}

func (o observer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := o.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if op, ok := req.Context().Value(opKey{}).(string); ok {
		if rl := stream.NewRateLimitFromHeaders(resp.Header); rl.Limit > 0 {
			w := quota.Window{Limit: int(rl.Limit), Remaining: int(rl.Remaining), Reset: rl.ResetTime()}
			o.chat.quota.Observe(req.Context(), op, w)
			o.chat.metrics.StreamQuota(op, w.Remaining)
		}
	}
	return resp, nil
}

// observe installs the observer on the client's transport, once.
func (c *Chat) observe(client *http.Client) {
	if _, done := client.Transport.(observer); done {
		return
	}
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	client.Transport = observer{next: next, chat: c}
}

// admit waits until the view lets ctx's priority spend a call of op, when
// that fits ctx's deadline; otherwise the call is not made and the caller
// answers so that its own caller retries (Twilio redelivers a status
// callback, Stream a webhook, the dashboard shows the error).
func (c *Chat) admit(ctx context.Context, op string) error {
	if !c.gate {
		return nil
	}
	p := priority.Of(ctx)
	for {
		d := c.quota.Take(ctx, op, p, time.Now())
		if d == 0 {
			return nil
		}
		if !fits(ctx, d) {
			c.metrics.StreamDeferred(op, p.String(), "refused")
			return &wrapped{op: op, se: stream.Error{StatusCode: http.StatusTooManyRequests},
				kind: bridge.ErrUnavailable, retryAfter: d}
		}
		c.metrics.StreamDeferred(op, p.String(), "waited")
		if !wait.For(ctx, d) {
			return fmt.Errorf("stream %s: timed out waiting for the rate limit: %w", op, bridge.ErrUnavailable)
		}
	}
}

// retryRateLimited makes a call that met Stream's 429 again after the reset,
// when that fits ctx's deadline: Stream did nothing with the refused call.
func (c *Chat) retryRateLimited(ctx context.Context, op string, err error, again func() error) error {
	var se stream.Error
	if !errors.As(err, &se) || se.StatusCode != http.StatusTooManyRequests || se.RateLimit == nil || se.RateLimit.Reset == 0 {
		return err // no 429, or no word on when Stream takes calls again
	}
	d := retryAfter(se)
	if !fits(ctx, d) {
		return err
	}
	c.metrics.StreamDeferred(op, priority.Of(ctx).String(), "waited")
	if !wait.For(ctx, d) {
		return err
	}
	return again()
}

// fits reports whether waiting d still leaves ctx time for the call itself.
// Without a deadline nothing waits here: batch jobs back off on their own
// (bridge.Backoff).
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) >= d+deadlines.QuotaCallReserve
}
