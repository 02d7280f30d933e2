package bridge

import (
	"context"
	"errors"
	"fmt"
)

// markSent writes the receipt onto the message (on a retry also removing
// the reason an earlier attempt left). If that fails the SMS is
// out all the same: answering with an error would make Stream retry, so the
// first status callback (which carries the message id) writes the mark.
func (o *Outbound) markSent(ctx context.Context, id string, r Receipt, retry bool) Outcome {
	set := sentFields(r)
	if retry {
		set[FieldError] = nil // an earlier attempt may have left "not sent yet"
	}
	if _, err := o.statuses().Write(ctx, id, r.Status, set); err != nil {
		return OutcomeSentUnmarked
	}
	return OutcomeSent
}

// The reasons a reply shows while it is not sent: "pending" while Stream
// will retry, "unconfirmed" once nothing will (the last attempt, or
// reconcile finding it left pending). Each is written in one place only.
const (
	reasonRetrying = "Not sent yet: the SMS service did not answer. Retrying."
	reasonNotSent  = "Not sent: the SMS service did not answer, most likely nothing reached the patient. Send the message again."
)

// unconfirmedFields marks a reply no attempt will send any more.
func unconfirmedFields() map[string]any {
	return map[string]any{FieldDirection: DirectionOutbound, FieldStatus: StatusUnconfirmed,
		FieldErrorCode: "unavailable", FieldError: reasonNotSent}
}

// markNotSent tells admins the reply is not sent: "pending" while Stream
// will retry, "unconfirmed" after its last attempt (most likely not sent; a
// late status callback can still replace it). It is best effort: when the
// chat is what failed, it fails too.
func (o *Outbound) markNotSent(ctx context.Context, ev ChatEvent) {
	fields := map[string]any{FieldStatus: StatusPending, FieldError: reasonRetrying}
	if ev.Attempt >= streamMaxAttempts {
		fields = unconfirmedFields()
	}
	_ = o.mark(ctx, ev.Message.ID, fields)
}

// refusedHere marks a reply the destination rules refused; the provider was
// not asked. A mark that fails gives the claim back, so Stream's retry can
// write it.
func (o *Outbound) refusedHere(ctx context.Context, ev ChatEvent, r *replyRefusal) error {
	if err := o.mark(ctx, ev.Message.ID, failedFields(r.code, r.sentence())); err != nil {
		o.release(ctx, ev.Message.ID)
		return err
	}
	return nil
}

// refused marks a permanently refused reply; an opt-out also marks the
// channel so the dashboard can show it.
func (o *Outbound) refused(ctx context.Context, ev ChatEvent, r *Refusal) error {
	if err := o.mark(ctx, ev.Message.ID, failedFields(r.Code, ErrorSentence(r.Code))); err != nil {
		return err
	}
	if errors.Is(r, ErrOptedOut) {
		if err := o.Chat.UpdateChannel(ctx, ev.ChannelID, map[string]any{FieldOptedOut: true}); err != nil {
			return fmt.Errorf("record opt-out for reply %s: %w", ev.Message.ID, err)
		}
	}
	return nil
}

// mark writes fields, which carry a status, through the one status rule.
func (o *Outbound) mark(ctx context.Context, id string, fields map[string]any) error {
	status, _ := fields[FieldStatus].(string)
	if _, err := o.statuses().Write(ctx, id, status, fields); err != nil {
		return fmt.Errorf("mark reply %s: %w", id, err)
	}
	return nil
}

// sentFields marks a message the provider accepted.
func sentFields(r Receipt) map[string]any {
	return map[string]any{FieldDirection: DirectionOutbound, FieldSID: r.Sid, FieldStatus: r.Status}
}

// failedFields marks a message that was not sent. code is Twilio's number,
// or a word of ours such as "too_long".
func failedFields(code any, sentence string) map[string]any {
	return map[string]any{FieldDirection: DirectionOutbound, FieldStatus: StatusFailed,
		FieldErrorCode: code, FieldError: sentence}
}
