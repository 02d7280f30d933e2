package bridge

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Codes of the replies the bridge refuses before asking the provider, in
// sms_error_code (words, like "too_long": the provider was never asked).
const (
	CodeReplyOptedOut      = "opted_out"
	CodeReplyInvalidPhone  = "invalid_phone"
	CodeReplyNotPossible   = "reply_not_possible"
	CodeReplyPremiumNumber = "premium_rate"
)

// replySentences are the reasons admins see for those refusals. The opt-out
// one is the provider's own (21610), so an admin reads the same whether the
// bridge or Twilio noticed.
var replySentences = map[string]string{
	CodeReplyOptedOut:     sentences[CodeOptedOut],
	CodeReplyInvalidPhone: "The patient's phone number is not a valid number, so the message was not sent.",
	CodeReplyNotPossible: "Replies to this sender are not possible: it is a short code or a name, not a phone number. " +
		"The message was not sent.",
	CodeReplyPremiumNumber: "The number is a premium-rate number; messages to it are not sent.",
}

// shortCodeDigits is the most digits a short code has (3 to 8 by country);
// a shorter address cannot be a full international number anyway.
const shortCodeDigits = 8

// replyRefusal is a reply the bridge does not hand to the provider.
type replyRefusal struct {
	code string // one of the CodeReply* words
}

func (r *replyRefusal) sentence() string {
	if s, ok := replySentences[r.code]; ok {
		return s
	}
	return WhatsAppSentence(r.code)
}

// replyDestination decides where a reply written in channel channelID goes
// (docs/contract.md §4.2): the channel's sms_phone when it has one, else
// "+" and the channel id, and only when libphonenumber holds it a valid
// number. An opted-out patient, a short code or an alphanumeric sender (whose
// messages still reach the chat) and a premium-rate number are refused, so
// an admin token cannot make the clinic's number text anything it likes, and
// a refusal Twilio would charge a call for costs nothing.
func replyDestination(channelID string, ch ChannelState, now time.Time) (Phone, *replyRefusal) {
	if ch.Medium == MediumWhatsApp {
		return whatsAppDestination(ch, now)
	}
	to := ch.Phone
	if to.IsZero() {
		to = PhoneFromChannel(channelID)
	}
	if ch.OptedOut {
		return to, &replyRefusal{code: CodeReplyOptedOut}
	}
	raw := to.Raw()
	digits := strings.TrimPrefix(raw, "+")
	if strings.IndexFunc(digits, notDigit) >= 0 {
		if strings.IndexFunc(digits, isLetter) >= 0 {
			return to, &replyRefusal{code: CodeReplyNotPossible} // "MyClinic", "whatsapp:+1…"
		}
		return to, &replyRefusal{code: CodeReplyInvalidPhone}
	}
	switch kind := numberKind(raw); {
	case kind == phonenumbers.UNKNOWN && len(digits) <= shortCodeDigits:
		return to, &replyRefusal{code: CodeReplyNotPossible} // a short code, with or without "+"
	case kind == phonenumbers.UNKNOWN:
		return to, &replyRefusal{code: CodeReplyInvalidPhone}
	case kind == phonenumbers.PREMIUM_RATE:
		return to, &replyRefusal{code: CodeReplyPremiumNumber}
	}
	return to, nil
}

// numberKind is what libphonenumber holds e164 to be: UNKNOWN unless it is
// "+" and a valid number. One parse and one type lookup answer both
// questions (IsValidNumber is the type lookup's "not UNKNOWN"): on every
// reply's path, they were two of each and a fifth of its allocations.
func numberKind(e164 string) phonenumbers.PhoneNumberType {
	if !strings.HasPrefix(e164, "+") {
		return phonenumbers.UNKNOWN
	}
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return phonenumbers.UNKNOWN
	}
	return phonenumbers.GetNumberType(num)
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// channel returns the channel's fields the reply rules need: the event's
// when it carried them, else from one read. Without them nothing is sent:
// an opted-out patient must not be texted because Stream was slow.
func (o *Outbound) channel(ctx context.Context, ev ChatEvent, readBy time.Time) (ChannelState, error) {
	if ev.Channel != nil {
		return *ev.Channel, nil
	}
	readCtx, cancel := context.WithDeadline(ctx, readBy)
	defer cancel()
	ch, err := o.Chat.ReadChannel(readCtx, ev.ChannelID)
	if err != nil {
		return ChannelState{}, fmt.Errorf("read the channel of reply %s: %w", ev.Message.ID, unavailable(err))
	}
	return ch, nil
}

// destination is where a reply goes, or why it goes nowhere.
type destination struct {
	to      Phone
	from    string // the clinic sender the patient wrote to; empty: the configured one
	refusal *replyRefusal
	err     error // the channel could not be read
}

// pendingDestination is a destination being worked out.
type pendingDestination struct {
	done   chan destination
	cancel context.CancelFunc
	once   sync.Once
	got    destination
}

// readDestination works out the reply's destination from the channel's
// fields, reading the channel (when the event did not carry them) beside
// the message's read-back: a retry needs both, and one after the other
// would spend the read budget twice.
func (o *Outbound) readDestination(ctx context.Context, ev ChatEvent, readBy time.Time) *pendingDestination {
	ctx, cancel := context.WithCancel(ctx)
	p := &pendingDestination{done: make(chan destination, 1), cancel: cancel}
	resolve := func() {
		ch, err := o.channel(ctx, ev, readBy)
		d := destination{err: err}
		if err == nil {
			d.to, d.refusal = replyDestination(ev.ChannelID, ch, o.now())
			d.from = ch.ClinicNumber
		}
		p.done <- d
	}
	if ev.Channel != nil {
		resolve() // nothing to read
	} else {
		go resolve()
	}
	return p
}

// wait returns the destination once it is known.
func (p *pendingDestination) wait() destination {
	p.once.Do(func() { p.got = <-p.done })
	return p.got
}

// stop ends a read no longer needed and waits for it.
func (p *pendingDestination) stop() {
	p.cancel()
	p.wait()
}
