package bridge

import (
	"context"
	"time"
)

// Sender is what the relays need from the message provider (Twilio: SMS and
// WhatsApp alike). Declared here so relays are tested with a recording fake.
type Sender interface {
	// Send hands msg to the provider. Errors wrap ErrUnavailable when a
	// retry may succeed (429, 5xx, network, timeout) or are a *Refusal when
	// the provider refused msg for good.
	Send(ctx context.Context, msg OutboundMessage) (Receipt, error)
}

// SentLog finds a message the provider already accepted. The outbound
// relay asks it on a retry whose earlier attempt may have reached the
// provider without learning the answer (a timeout, a reset, a late 5xx), so
// that such a retry adopts the message instead of sending it again.
type SentLog interface {
	// FindSent returns the newest message to to with this body created at
	// or after since, and whether there is one.
	FindSent(ctx context.Context, to Phone, body string, since time.Time) (Receipt, bool, error)
}

// OutboundMessage is one message to a patient.
type OutboundMessage struct {
	To   Phone
	From string // the clinic sender to use: the conversation's or the location's; empty: the configured one
	// MessagingServiceSID is the location's Messaging Service (MG...), sent
	// beside From, or alone for a scheduled message; empty with From empty:
	// the configured one.
	MessagingServiceSID string
	Body                string
	MediaURLs           []string
	StatusCallback      string    // URL the provider reports status changes to
	SendAt              time.Time // zero: now; else scheduled (needs a Messaging Service)
	// ContentSid names an approved WhatsApp template (HX...); it is sent
	// with ContentVariables ({"1": ...}) and no Body.
	ContentSid       string
	ContentVariables map[string]string
}

// Receipt is the provider's acceptance of a message.
type Receipt struct {
	Sid    string
	Status string // e.g. "queued", "accepted", "scheduled"
}

// Refusal is the provider's permanent refusal of a message, with its error
// code (Twilio's numbers, e.g. 21610). Its text is the plain sentence for the
// code, never the provider's own message, which may quote the number.
type Refusal struct {
	Code int
}

func (r *Refusal) Error() string { return ErrorSentence(r.Code) }

// Unwrap classifies the refusal: an opted-out recipient, an invalid number,
// or another refusal.
func (r *Refusal) Unwrap() error {
	switch {
	case r.Code == CodeOptedOut:
		return ErrOptedOut
	case invalidNumberCodes[r.Code]:
		return ErrInvalid
	}
	return ErrUpstream
}
