package bridge

import (
	"context"
	"errors"
	"fmt"
)

// Twilio message statuses the bridge writes or compares.
const (
	StatusFailed      = "failed"
	StatusUndelivered = "undelivered"
)

// statusRank orders Twilio's message statuses: a status only ever replaces
// one of a lower rank, so a late "sent" never overwrites "delivered".
var statusRank = map[string]int{
	"accepted": 1, "scheduled": 1,
	"queued":    2,
	"sending":   3,
	"sent":      4,
	"delivered": 5, "undelivered": 5, "failed": 5, "canceled": 5,
	"read": 6,
}

// StatusAdvances reports whether next may replace current. Unknown next
// statuses never replace anything; anything replaces an unknown current.
func StatusAdvances(current, next string) bool {
	n, ok := statusRank[next]
	if !ok {
		return false
	}
	return n > statusRank[current]
}

// StatusUpdate is one status callback from the SMS provider.
type StatusUpdate struct {
	MessageID string // chat message id, from the callback URL
	Sid       string
	Status    string
	ErrorCode int
}

// StatusChat is what status tracking needs from the chat service.
type StatusChat interface {
	GetMessage(ctx context.Context, id string) (ChatMessage, error)
	UpdateMessage(ctx context.Context, id string, set map[string]any) error
}

// Statuses writes delivery statuses onto chat messages.
type Statuses struct{ Chat StatusChat }

// Update records u on its message when it moves the status forward. An
// unknown message is ignored: it may have been deleted, or the callback was
// meant for another system.
func (s *Statuses) Update(ctx context.Context, u StatusUpdate) (Outcome, error) {
	if u.MessageID == "" || u.Status == "" {
		return OutcomeIgnored, nil
	}
	msg, err := s.Chat.GetMessage(ctx, u.MessageID)
	if errors.Is(err, ErrNotFound) {
		return OutcomeIgnored, nil
	}
	if err != nil {
		return "", fmt.Errorf("read message for status of %s: %w", u.Sid, err)
	}
	current, _ := msg.Fields[FieldStatus].(string)
	if !StatusAdvances(current, u.Status) {
		return OutcomeIgnored, nil
	}
	// The mark is written again with the status, so a reply whose mark was
	// lost after its SMS went out gets it from its first callback.
	set := map[string]any{FieldDirection: DirectionOutbound, FieldStatus: u.Status}
	if u.Sid != "" {
		set[FieldSID] = u.Sid
	}
	if u.Status == StatusFailed || u.Status == StatusUndelivered {
		set[FieldErrorCode] = u.ErrorCode
		set[FieldError] = ErrorSentence(u.ErrorCode)
	} else {
		// A reason left by an attempt whose answer was lost ("not sent
		// yet", "unconfirmed") is no longer true once Twilio reports on it.
		set[FieldErrorCode], set[FieldError] = nil, nil
	}
	if err := s.Chat.UpdateMessage(ctx, u.MessageID, set); err != nil {
		return "", fmt.Errorf("write status of %s: %w", u.Sid, err)
	}
	return OutcomeUpdated, nil
}
