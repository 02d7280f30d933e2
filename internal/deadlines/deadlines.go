// Package deadlines is smsbridge's one table of time budgets: how long each
// caller waits for an answer, how long each handler and each upstream call
// may take, how long detached writes may run, and the HTTP server's own
// timeouts. Every budget in the service is read from here, and the test
// beside it adds them up: each route's worst case fits inside its caller's
// deadline and inside the server's WriteTimeout.
//
// It imports only the standard library, so every package may use it.
package deadlines

import "time"

// What the callers wait for before they give up on an answer.
const (
	// Twilio gives up on a webhook (an inbound message, a status callback)
	// after 15 s; an answer of 5xx before then lets it retry.
	TwilioCaller = 15 * time.Second
	// Stream gives up on a webhook after 6 s; docs/contract.md §4.2 promises
	// an answer within 5 s.
	StreamCaller = 5 * time.Second
	// The dashboard's request has no deadline of its own: the server's
	// WriteTimeout is what cuts it, and a cut connection leaves the admin
	// with an unknown outcome and a reason to send again.
	DashboardCaller = ServerWrite
)

// The HTTP server's timeouts (web.NewServer).
const (
	ServerReadHeader = 5 * time.Second
	// ServerRead covers a whole request, body included; webhook bodies are
	// at most 64 KiB.
	ServerRead = 15 * time.Second
	// ServerWrite runs from the end of the request's headers to the end of
	// the answer: every route's worst case must fit inside it.
	ServerWrite = 20 * time.Second
	ServerIdle  = 120 * time.Second
	// AnswerMargin is what a route keeps, after its budget, to write the
	// answer and for clocks that disagree a little.
	AnswerMargin = 500 * time.Millisecond
	// ShutdownGrace is how long in-flight requests may finish after SIGTERM.
	ShutdownGrace = 10 * time.Second
)

// Handler budgets: the context deadline each route runs its upstream calls
// under.
const (
	// InboundMessage bounds POST /receive-sms: one Stream call in the steady
	// state, up to four on first contact or for an answer to a reminder
	// (post, search, two partial updates).
	InboundMessage = 12 * time.Second
	// StatusCallback bounds POST /twilio-status.
	StatusCallback = 12 * time.Second
	// ChatReply bounds POST /stream-outgoing-sms: read back, send, mark.
	ChatReply = 4500 * time.Millisecond
	// Reminder bounds POST /send-reminder up to and including the send:
	// open the channel, post the reminder, send the SMS, mark it sent.
	Reminder = 10 * time.Second
)

// Upstream calls.
const (
	// QuotaCallReserve is what a caller keeps for the Stream call itself
	// when it waits for a rate-limit window to turn: it waits only when the
	// reset comes at least this long before its deadline.
	QuotaCallReserve = 2 * time.Second
	// StreamCall backs up the per-request contexts: no Stream call outlives
	// it (the Stream HTTP client's timeout).
	StreamCall = 5 * time.Second
	// ReplyReadBack bounds reading a chat reply back before sending it.
	ReplyReadBack = 1 * time.Second
	// ReplySend bounds the Twilio call for a chat reply.
	ReplySend = 2500 * time.Millisecond
	// ReplyMark is what is left of ChatReply for writing the result onto the
	// message after the read-back and the send took all theirs.
	ReplyMark = ChatReply - ReplyReadBack - ReplySend
	// TwilioLogPage bounds one page of Twilio's message log (reconcile).
	TwilioLogPage = 30 * time.Second
	// StartupCheck bounds one attempt of the start-up checks.
	StartupCheck = 10 * time.Second
	// DoctorCall bounds each of `smsbridge doctor`'s reads and changes of
	// the vendors' settings: a console API that does not answer in time is
	// reported as unreachable, and the next check runs.
	DoctorCall = 10 * time.Second
	// DoctorProbe bounds each `smsbridge doctor --probe` request through
	// the public URL: as long as Twilio waits for a webhook, the longer of
	// the two vendors.
	DoctorProbe = TwilioCaller
	// Healthcheck bounds `smsbridge healthcheck`'s call to /healthz; the
	// container's HEALTHCHECK gives it 5 s.
	Healthcheck = 3 * time.Second
)

// Detached work: writes and look-ups that run on a context detached from the
// request, so a caller that hangs up cannot leave a message half-written,
// while the handler waits for them before it answers.
const (
	// ReminderLogLookup bounds asking Twilio's log whether a reminder whose
	// answer was lost went out after all.
	ReminderLogLookup = 3 * time.Second
	// ReminderMark bounds writing a failed or unconfirmed send onto the
	// reminder.
	ReminderMark = 3 * time.Second
)

// The coordination store (package coord).
const (
	// StoreCall bounds one call to Redis. A store that does not answer in
	// time is treated as down, and the replica carries on with its memory.
	StoreCall = 250 * time.Millisecond
	// StoreDown is how long Redis counts as down after any failed call (a
	// refused or timed-out write, an unanswered read): every operation of
	// the replica uses its memory meanwhile, and Redis is used again only
	// once a test write and the write-back of what memory took have
	// succeeded. Fixed, so the replica does not flip between the two with
	// each call (docs/replicas.md), and longer than any operation, so one
	// that fell back ends on memory (the test holds it).
	StoreDown = 30 * time.Second
	// StoreWriteBack bounds one write-back of memory's keys to Redis; what
	// is not written back in time stays in memory for the next attempt.
	StoreWriteBack = 2 * time.Second
	// StoreWarnEvery is how often an outage of Redis, and a refused write,
	// is logged.
	StoreWarnEvery = time.Minute
)

// Coordination between deliveries of the same message.
const (
	// SendClaim is how long a delivery that is sending a chat reply holds
	// it: longer than Stream's retries of one event (15 s), so no retry or
	// duplicate sends it again while the first is at work. A claim held by a
	// replica that died expires after it.
	SendClaim = 30 * time.Second
	// StatusLock is how long a writer of a message's sms_status may hold its
	// per-message lock: one Stream write, with room.
	StatusLock = StreamCall
	// StatusMemory is how long the last status written per message is
	// remembered; a callback later than that reads the message first.
	StatusMemory = 48 * time.Hour
	// FreshReply is how old a chat reply can be and still be taken for its
	// first delivery: an older one may have been sent by a delivery whose
	// answer and mark were lost, so Twilio's log is asked first.
	FreshReply = 3 * time.Second
	// ReplyAbandoned is how long after its creation a chat reply still
	// marked "pending" is taken for abandoned by reconcile: past Stream's
	// retries of one event (15 s) and any send claim (SendClaim), so no
	// delivery is at work on it any more.
	ReplyAbandoned = 2 * time.Minute
	// IdempotentAnswer is how long POST /send-reminder remembers the answer
	// to an Idempotency-Key.
	IdempotentAnswer = 24 * time.Hour
	// IdempotentWork is how long a reminder holds its Idempotency-Key while
	// it is being sent: its whole worst case.
	IdempotentWork = Reminder + ReminderLogLookup + ReminderMark + AnswerMargin
)

// `smsbridge remind`: one batch row is one reminder, after a look for an
// earlier send of it.
const (
	// BatchRow bounds one row: the chat search for its key, then what
	// POST /send-reminder may take.
	BatchRow = StreamCall + Reminder
	// BatchRowWork is how long a row holds its key while it is sent: its
	// whole worst case, detached writes included.
	BatchRowWork = BatchRow + ReminderLogLookup + ReminderMark + AnswerMargin
	// BatchRowResult is how long a row's result is kept in the coordination
	// store; the chat's sms_reminder_key is the lasting record.
	BatchRowResult = IdempotentAnswer
)

// BcryptWait is how long a login waits for one of the few bcrypt slots
// before it is answered 503: a flood of guesses is refused, not queued
// until the CPU stalls.
const BcryptWait = 2 * time.Second
