package streamhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/netcause"
)

// Stream's API error codes that the bridge acts on
// (https://getstream.io/chat/docs/api_errors_response).
const (
	codeInputError   = 4
	codeDoesNotExist = 16
)

// errUsersMissing is Stream refusing a channel whose members do not exist
// yet. It wraps bridge.ErrUpstream, which it is when nothing retries it.
var errUsersMissing = fmt.Errorf("chat users missing: %w", bridge.ErrUpstream)

// call runs one Stream operation, records it and translates its error.
// The quota view is asked first (quota.go); a 429 is retried once after the
// reset when the deadline allows.
func (c *Chat) call(ctx context.Context, op string, fn func(context.Context) error) error {
	if err := c.admit(ctx, op); err != nil {
		return err
	}
	ctx = context.WithValue(ctx, opKey{}, op)
	once := func() error {
		done := c.timed(op, time.Now())
		err := fn(ctx)
		done(err)
		return err
	}
	err := c.retryRateLimited(ctx, op, once(), once)
	return c.check(op, err)
}

// timed starts timing op; the returned func records it with err's status.
func (c *Chat) timed(op string, start time.Time) func(error) {
	return func(err error) { c.metrics.Upstream("stream", op, statusLabel(err), time.Since(start)) }
}

// check translates a stream-chat-go error into a bridge error kind. Stream's
// message texts can quote channel ids, which are phone numbers, so they are
// never carried over: only the operation, status and code are.
func (c *Chat) check(op string, err error) error {
	if err == nil {
		return nil
	}
	var se stream.Error
	if !errors.As(err, &se) {
		if errors.Is(err, context.Canceled) {
			// The request's context is cancelled when its caller hangs
			// up; Stream did nothing wrong.
			return fmt.Errorf("stream %s: cancelled: %w", op, bridge.ErrCallerGone)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("stream %s: timed out: %w", op, bridge.ErrUnavailable)
		}
		return &unanswered{op: op, cause: networkCause(err), host: netcause.Host(err), err: err}
	}
	switch {
	case se.StatusCode == http.StatusNotFound || se.Code == codeDoesNotExist:
		return fmt.Errorf("stream %s: status %d code %d: %w", op, se.StatusCode, se.Code, bridge.ErrNotFound)
	case se.Code == codeInputError && strings.Contains(se.Message, "already exists"):
		return fmt.Errorf("stream %s: %w", op, bridge.ErrDuplicate)
	case se.Code == codeInputError && strings.Contains(se.Message, "don't exist"):
		// "The following users are involved in channel create operation,
		// but don't exist: [...]": the users are written, then the call
		// is made again (CreateConversation).
		return &wrapped{op: op, se: se, kind: errUsersMissing}
	case se.StatusCode == http.StatusTooManyRequests || se.StatusCode >= 500 || se.StatusCode == 0:
		return &wrapped{op: op, se: se, kind: bridge.ErrUnavailable, retryAfter: retryAfter(se)}
	}
	return &wrapped{op: op, se: se, kind: bridge.ErrUpstream}
}

// isInputError reports whether err is Stream's input error (code 4).
func isInputError(err error) bool {
	var w *wrapped
	return errors.As(err, &w) && w.se.Code == codeInputError
}

// unanswered is a call that got no answer from Stream. Its text names the
// cause (DNS, refused, TLS, ...), never the request.
type unanswered struct {
	op, cause string
	host      string // STREAM_BASE_URL's host, which configuration gives
	err       error  // kept for Diagnose, never printed
}

func (u *unanswered) Error() string {
	return fmt.Sprintf("stream %s: no answer (%s): %v", u.op, u.Cause(), bridge.ErrUnavailable)
}

// Cause is the host and why it did not answer ("chat.stream-io-api.com:
// cannot resolve"), for a batch row's reason (bridge.RowError).
func (u *unanswered) Cause() string   { return netcause.Phrase("Stream", u.host, u.cause) }
func (u *unanswered) Unwrap() []error { return []error{bridge.ErrUnavailable, u.err} }

// wrapped is a translated Stream error that keeps its status and code.
type wrapped struct {
	op         string
	se         stream.Error
	kind       error
	retryAfter time.Duration
}

func (w *wrapped) Error() string {
	return fmt.Sprintf("stream %s: status %d code %d", w.op, w.se.StatusCode, w.se.Code)
}
func (w *wrapped) Unwrap() error { return w.kind }

// RetryAfter is when Stream takes calls again (X-RateLimit-Reset of a 429),
// or 0; bridge.Backoff waits for it (bridge.RetryHint).
func (w *wrapped) RetryAfter() time.Duration { return w.retryAfter }

func retryAfter(se stream.Error) time.Duration {
	if se.RateLimit == nil || se.RateLimit.Reset == 0 {
		return 0
	}
	d := time.Until(time.Unix(se.RateLimit.Reset, 0))
	if d < 0 {
		return 0
	}
	return d
}

func statusLabel(err error) string {
	if err == nil {
		return "ok"
	}
	var se stream.Error
	if errors.As(err, &se) && se.StatusCode != 0 {
		return strconv.Itoa(se.StatusCode)
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return "network"
}
