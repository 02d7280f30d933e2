package bridge

import (
	"strings"

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

func (r *replyRefusal) sentence() string { return replySentences[r.code] }

// replyDestination decides where a reply written in channel channelID goes
// (docs/contract.md §4.2): the channel's sms_phone when it has one, else
// "+" and the channel id, and only when libphonenumber holds it a valid
// number. An opted-out patient, a short code or an alphanumeric sender (whose
// messages still reach the chat) and a premium-rate number are refused, so
// an admin token cannot make the clinic's number text anything it likes, and
// a refusal Twilio would charge a call for costs nothing.
func replyDestination(channelID string, ch ChannelState) (Phone, *replyRefusal) {
	to := ch.Phone
	if to.IsZero() {
		to = PhoneFromChannel(channelID)
	}
	if ch.OptedOut {
		return to, &replyRefusal{code: CodeReplyOptedOut}
	}
	raw := to.Raw()
	digits := strings.TrimPrefix(raw, "+")
	switch {
	case strings.IndexFunc(digits, notDigit) >= 0:
		if strings.IndexFunc(digits, isLetter) >= 0 {
			return to, &replyRefusal{code: CodeReplyNotPossible} // "MyClinic", "whatsapp:+1…"
		}
		return to, &replyRefusal{code: CodeReplyInvalidPhone}
	case len(digits) <= shortCodeDigits && (!strings.HasPrefix(raw, "+") || !validNumber(raw)):
		return to, &replyRefusal{code: CodeReplyNotPossible} // a short code, with or without "+"
	case !strings.HasPrefix(raw, "+") || !validNumber(raw):
		return to, &replyRefusal{code: CodeReplyInvalidPhone}
	case numberType(raw) == phonenumbers.PREMIUM_RATE:
		return to, &replyRefusal{code: CodeReplyPremiumNumber}
	}
	return to, nil
}

// validNumber reports whether libphonenumber holds e164 a valid number.
func validNumber(e164 string) bool {
	num, err := phonenumbers.Parse(e164, "")
	return err == nil && phonenumbers.IsValidNumber(num)
}

func numberType(e164 string) phonenumbers.PhoneNumberType {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return phonenumbers.UNKNOWN
	}
	return phonenumbers.GetNumberType(num)
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
