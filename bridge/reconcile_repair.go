package bridge

import (
	"context"
	"fmt"
	"slices"
)

// statuses gives the outbound messages of batch whose chat copy still shows
// a non-final status the status the provider reports. One search finds the
// chat copies of the whole batch by their sms_sid; the writing goes through
// Statuses.Update, the status callback's own rules.
func (r *Reconciler) statuses(ctx context.Context, batch []LoggedSMS) []ReconcileItem {
	var channels, sids []string
	for _, m := range batch {
		sids = append(sids, m.Sid)
		if ch := r.channelOf(m); !slices.Contains(channels, ch) {
			channels = append(channels, ch)
		}
	}
	var found []ChatMessage
	err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
		found, err = r.Chat.FindBySID(ctx, channels, sids)
		return err
	})
	items := make([]ReconcileItem, 0, len(batch))
	for _, m := range batch {
		it := ReconcileItem{Sid: m.Sid}
		if err != nil {
			items = append(items, failed(it, fmt.Errorf("find chat message of %s: %w", m.Sid, err)))
			continue
		}
		items = append(items, r.status(ctx, m, it, found))
	}
	return items
}

func (r *Reconciler) status(ctx context.Context, m LoggedSMS, it ReconcileItem, found []ChatMessage) ReconcileItem {
	i := slices.IndexFunc(found, func(c ChatMessage) bool { return c.Fields[FieldSID] == m.Sid })
	if i < 0 {
		// Sent by something else on the same number, or its mark was lost
		// too; either way there is nothing to write the status on.
		it.Action = ActionNotInChat
		return it
	}
	it.MessageID = found[i].ID
	current, _ := found[i].Fields[FieldStatus].(string)
	if statusFinal(current) || !StatusAdvances(current, m.Status) {
		it.Action = ActionUpToDate
		return it
	}
	it.Action, it.Status = ActionSetStatus, m.Status
	if r.DryRun {
		return it
	}
	var outcome Outcome
	err := r.Retry.Do(ctx, func(ctx context.Context) (err error) {
		outcome, err = r.Statuses.Update(ctx, StatusUpdate{MessageID: it.MessageID, Sid: m.Sid, Status: m.Status, ErrorCode: m.ErrorCode})
		return err
	})
	switch {
	case err != nil:
		return failed(it, err)
	case outcome != OutcomeUpdated:
		it.Action, it.Status = ActionUpToDate, "" // a callback got there first
	}
	return it
}

// statusFinal reports whether a status ends the delivery story: delivered,
// undelivered, failed, canceled or read.
func statusFinal(status string) bool { return statusRank[status] >= statusRank[StatusFailed] }

// optOut is the last opt-out keyword a patient sent within the window.
type optOut struct {
	sid      string
	optedOut bool
}

// latestOptOuts finds, per patient channel, the newest inbound message that
// changes the opt-out state. inbound is sorted oldest first.
func (r *Reconciler) latestOptOuts(inbound []LoggedSMS) map[string]optOut {
	latest := map[string]optOut{}
	for _, m := range inbound {
		if opted, ok := OptOutChange(m.Body, ""); ok {
			latest[r.channelOf(m)] = optOut{sid: m.Sid, optedOut: opted}
		}
	}
	return latest
}

// settleOptOut undoes what restoring an old keyword did to the channel when
// the patient sent a newer one: the relay applies each keyword it posts, so
// restoring a lost STOP must not override a START that arrived after it.
func (r *Reconciler) settleOptOut(ctx context.Context, m LoggedSMS, res InboundResult, latest map[string]optOut) error {
	channel := r.channelOf(m)
	last, ok := latest[channel]
	if res.OptedOut == nil || !ok || last.sid == m.Sid || last.optedOut == *res.OptedOut {
		return nil
	}
	err := r.Retry.Do(ctx, func(ctx context.Context) error {
		return r.Chat.UpdateChannel(ctx, channel, map[string]any{FieldOptedOut: last.optedOut})
	})
	if err != nil {
		return fmt.Errorf("restored %s, but could not restore the newer opt-out state: %w", m.Sid, err)
	}
	return nil
}

// channelOf is the channel of a logged message's conversation: the
// patient's, at the location its clinic number or service names.
func (r *Reconciler) channelOf(m LoggedSMS) string {
	return r.Inbound.route(InboundSMS{From: m.Patient, To: m.Clinic, MessagingServiceSid: m.ServiceSID}).channelID
}
