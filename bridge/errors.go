package bridge

import (
	"errors"
	"fmt"
	"time"
)

// Error kinds. Every error that reaches an HTTP answer wraps exactly one of
// them; the server's single error table maps kinds to status codes.
var (
	// ErrInvalid: the caller sent something unusable (400). Returned by the
	// relays for missing fields and by parsers for bad numbers or text.
	ErrInvalid = errors.New("invalid request")
	// ErrUnsupportedMedia: the body is not sent as the media type the route
	// reads (415), e.g. text/plain to a JSON API.
	ErrUnsupportedMedia = errors.New("unsupported media type")
	// ErrSlowRequest: the caller did not send its body within the read
	// budget (408). The caller's fault, not an upstream failure.
	ErrSlowRequest = errors.New("request body too slow")
	// ErrCallerGone: the caller (Twilio, Stream, a load balancer) closed the
	// connection before the answer, which cancelled the request's upstream
	// calls. Not an upstream failure: logged at info, counted as 499.
	ErrCallerGone = errors.New("the caller went away")
	// ErrUnauthenticated: credentials are missing or wrong (401). Returned by
	// the Stream webhook verifier and the dashboard API's authentication.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: a Twilio webhook whose signature does not verify, or an
	// admin acting for a location they do not work at (403).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the chat has no such channel or message. Returned by Chat
	// implementations; the relays turn it into a create-and-retry or an ignore.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: the chat already holds a message with this id. Returned by
	// Chat.PostMessage; the relays treat it as success (idempotent retries).
	ErrDuplicate = errors.New("duplicate")
	// ErrOptedOut: the patient has opted out of SMS (409).
	ErrOptedOut = errors.New("opted out")
	// ErrQuietHours: an immediate reminder inside the patient's quiet hours
	// (409); the *Error carries NextAllowedAt. Returned by Reminders.Send.
	ErrQuietHours = errors.New("quiet hours")
	// ErrConflict: the same request is being handled right now (409).
	// Returned by the dashboard API for a repeated Idempotency-Key.
	ErrConflict = errors.New("conflict")
	// ErrUnprocessable: the request contradicts an earlier one (422), such
	// as an Idempotency-Key reused for another reminder.
	ErrUnprocessable = errors.New("unprocessable")
	// ErrRateLimited: too many attempts (429). Returned by the login limiter.
	ErrRateLimited = errors.New("rate limited")
	// ErrUpstream: Twilio or Stream refused the request for good (502).
	ErrUpstream = errors.New("upstream refused")
	// ErrUnavailable: Twilio or Stream failed in a way a retry may fix (503):
	// 429, 5xx, network errors and timeouts. Webhook callers retry on it.
	ErrUnavailable = errors.New("upstream unavailable")
)

// Error carries a plain sentence and a machine code for the caller next to
// its kind. Message and Code must never contain a message body, a phone
// number, a token or a password: they are shown to callers and logged.
type Error struct {
	Kind    error  // one of the Err* kinds above
	Code    string // machine code for JSON answers, e.g. "invalid_phone"
	Message string // plain sentence for people
	// RetryAfter, when set, tells the caller when to try again (429, 503).
	RetryAfter time.Duration
	// NextAllowedAt, when set, is the first time outside the patient's
	// quiet hours (quiet_hours, send_at_quiet_hours).
	NextAllowedAt time.Time
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of the given kind and code.
func Errorf(kind error, code, format string, args ...any) error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}
