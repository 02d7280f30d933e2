package bridge

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Fields that record a patient's answer to a reminder (docs/replies.md).
const (
	FieldReply   = "sms_reply"    // reminder: ReplyConfirmed or ReplyReschedule
	FieldReplyAt = "sms_reply_at" // reminder: when the answer arrived, RFC 3339 UTC
	FieldReplyTo = "sms_reply_to" // inbound message: the id of the reminder it answers

	ReplyConfirmed  = "confirmed"
	ReplyReschedule = "reschedule"
)

// DefaultReplyWindow is how long after a reminder went out a keyword still
// answers it (REMINDER_REPLY_WINDOW).
const DefaultReplyWindow = 168 * time.Hour

// recentReminders is how many of a channel's newest reminders are read to
// find the one a keyword answers: the newest may be scheduled for later or
// refused, and an answer belongs to one the patient received.
const recentReminders = 10

// replyKeywords are the whole-text answers to a reminder. STOP, CANCEL and
// the other opt-out words are deliberately absent: carriers reserve them,
// so they never answer an appointment (optout.go). YES is in both lists: it
// opts back in and confirms.
var (
	confirmList    = []string{"C", "CONFIRM", "CONFIRMED", "Y", "YES"}
	rescheduleList = []string{"R", "RESCHEDULE"}
	replyKeywords  = answers(map[string][]string{ReplyConfirmed: confirmList, ReplyReschedule: rescheduleList})
)

// ReplyKeywords returns the keywords that give answer (ReplyConfirmed or
// ReplyReschedule), in the order the docs list them.
func ReplyKeywords(answer string) []string {
	switch answer {
	case ReplyConfirmed:
		return slices.Clone(confirmList)
	case ReplyReschedule:
		return slices.Clone(rescheduleList)
	}
	return nil
}

func answers(lists map[string][]string) map[string]string {
	m := map[string]string{}
	for answer, words := range lists {
		for _, w := range words {
			m[w] = answer
		}
	}
	return m
}

// ReplyKeyword reports the answer a message's whole text gives to a
// reminder: trimmed, in any case, trailing punctuation ignored ("Yes!"
// confirms, "yes please" is an ordinary message).
func ReplyKeyword(body string) (answer string, ok bool) {
	word := strings.TrimRightFunc(strings.TrimSpace(body), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSpace(r)
	})
	answer, ok = replyKeywords[strings.ToUpper(word)]
	return answer, ok
}

// ReplyChat is what recording an answer needs from the chat service;
// streamhook.Chat implements it. Only keyword messages use it, so the
// ordinary inbound path keeps its single chat call.
type ReplyChat interface {
	// RecentReminders returns up to n of the channel's reminder messages
	// (sms_origin "reminder"), newest first, with their custom fields and
	// creation times.
	RecentReminders(ctx context.Context, channelID string, n int) ([]ChatMessage, error)
	// UpdateMessage sets custom fields on a message (a partial update).
	UpdateMessage(ctx context.Context, id string, set map[string]any) error
}

// Replies records patients' keyword answers on the reminders they answer.
type Replies struct {
	Chat   ReplyChat
	Window time.Duration // 0: DefaultReplyWindow
	Now    func() time.Time
}

// Record finds the channel's latest reminder the patient received and, when
// it went out at most Window ago, writes answer on it and links the inbound
// message to it. It returns the reminder's id, or "" when there is none to
// answer (the message then stays an ordinary message). Both writes are
// partial updates of fields nothing else writes, so a redelivery repeats
// them harmlessly and they never race the status writer.
func (r *Replies) Record(ctx context.Context, channelID, inboundID, answer string) (string, error) {
	reminders, err := r.Chat.RecentReminders(ctx, channelID, recentReminders)
	if err != nil {
		return "", fmt.Errorf("find the reminder answered by %s: %w", inboundID, err)
	}
	now := r.now()
	rem, sentAt, ok := latestReceived(reminders, now)
	if !ok || now.Sub(sentAt) > r.window() {
		return "", nil
	}
	set := map[string]any{FieldReply: answer, FieldReplyAt: now.UTC().Format(time.RFC3339)}
	if err := r.Chat.UpdateMessage(ctx, rem.ID, set); err != nil {
		return "", fmt.Errorf("record the answer on reminder %s: %w", rem.ID, err)
	}
	if err := r.Chat.UpdateMessage(ctx, inboundID, map[string]any{FieldReplyTo: rem.ID}); err != nil {
		return "", fmt.Errorf("link %s to reminder %s: %w", inboundID, rem.ID, err)
	}
	return rem.ID, nil
}

// notReceived are the sms_status values of a reminder the patient cannot
// be answering: refused, never accepted, or most likely not sent.
var notReceived = map[string]bool{
	StatusFailed: true, StatusUndelivered: true, "canceled": true, StatusPending: true, StatusUnconfirmed: true,
}

// latestReceived picks, from reminders newest first, the first one that
// has gone out by now, and when it went out: its scheduled time, or when
// it was posted.
func latestReceived(reminders []ChatMessage, now time.Time) (ChatMessage, time.Time, bool) {
	for _, m := range reminders {
		if status, _ := m.Fields[FieldStatus].(string); notReceived[status] {
			continue
		}
		sentAt := m.CreatedAt
		if s, _ := m.Fields[FieldSendAt].(string); s != "" {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				sentAt = t
			}
		}
		if sentAt.After(now) {
			continue
		}
		return m, sentAt, true
	}
	return ChatMessage{}, time.Time{}, false
}

func (r *Replies) window() time.Duration {
	if r.Window > 0 {
		return r.Window
	}
	return DefaultReplyWindow
}

func (r *Replies) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
