// Package priority orders who goes first when one of Stream's per-minute
// quotas runs low: a patient's inbound message, then admin replies and
// reminders, then delivery status writes (docs/quotas.md). The bridge marks
// each relay's context with its priority; the quota view reads it back.
//
// It is a pure rule: it imports only the standard library.
package priority

import "context"

// Priority orders who spends an endpoint's last calls.
type Priority int

// The priorities, most important first.
const (
	// Inbound is a patient's message: it may spend the very last call, and
	// waits for the window to turn when that fits its deadline.
	Inbound Priority = iota
	// Send is an admin reply or a reminder: it leaves a small reserve for
	// inbound messages.
	Send
	// Status is a delivery status write: it leaves a larger reserve, and
	// Twilio redelivers a callback that could not be written.
	Status
)

// String names p for metrics labels.
func (p Priority) String() string {
	switch p {
	case Inbound:
		return "inbound"
	case Status:
		return "status"
	}
	return "send"
}

type key struct{}

// With marks the Stream calls made under ctx as p's.
func With(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, key{}, p)
}

// Of is the priority ctx carries; Send when it carries none.
func Of(ctx context.Context) Priority {
	if p, ok := ctx.Value(key{}).(Priority); ok {
		return p
	}
	return Send
}
