package bridge

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// The one rule for a sender's conversation id (docs/contract.md §3). Only a
// From that is already E.164 ("+" and digits) is a patient's number and maps
// to the digits, as the tutorial did. Every other sender gets an id with a
// prefix of its own, which no E.164 number can produce (those ids are all
// digits), so a short code, an alphanumeric sender or a number in another
// notation never lands in a patient's channel, never opts the patient out
// and never answers their reminder:
//
//	+12015550123           -> 12015550123
//	whatsapp:+12015550123  -> wa_12015550123         (the patient's WhatsApp conversation)
//	whatsapp:<user id>     -> wa_id_<letters, digits>_<hash>
//	anything else          -> x-<letters, digits>_<hash>
//
// The hash (of the address exactly as Twilio gave it) keeps apart senders
// whose letters and digits agree: "+1 201 555 0123" and "+1-201-555-0123".
// The ids hold no "-": a location's channel adds "-" and its id (locations).
const (
	whatsAppChannelPrefix = "wa_"
	whatsAppIDPrefix      = "wa_id_"
	otherSenderPrefix     = "x_"
	// tokenLetters bounds the readable part, so an id stays within
	// Stream's 64 characters.
	tokenLetters = 32
	tokenHash    = 10 // hex digits of SHA-256
)

// e164Form is the E.164 notation: "+", a non-zero digit, at most 15 digits.
var e164Form = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// ChannelID is the id of the sender's conversation (and, but for WhatsApp
// numbers, of its chat user): see the rule above. Empty for no address.
func (p Phone) ChannelID() string {
	raw := p.raw
	switch {
	case raw == "":
		return ""
	case e164Form.MatchString(raw):
		return raw[1:]
	case IsWhatsApp(raw):
		rest := raw[len(whatsAppPrefix):]
		if e164Form.MatchString(rest) {
			return whatsAppChannelPrefix + rest[1:]
		}
		return prefixed(whatsAppIDPrefix, rest)
	}
	return prefixed(otherSenderPrefix, raw)
}

// prefixed is prefix and s's token, or "" when s has no letter or digit
// (such an address names no one; the relay refuses it).
func prefixed(prefix, s string) string {
	if strings.IndexFunc(s, isLetterOrDigit) < 0 {
		return ""
	}
	return prefix + senderToken(s)
}

func isLetterOrDigit(r rune) bool { return r >= '0' && r <= '9' || isLetter(r) }

// UserID is the sender's chat user: one per phone number, so a patient who
// writes on SMS and on WhatsApp is one user in two conversations; a sender
// without a number is a user of its own (its channel id).
func (p Phone) UserID() string {
	if n := p.Number(); !n.IsZero() {
		return n.raw[1:]
	}
	return p.ChannelID()
}

// Number is the E.164 number of the address: the address itself, or a
// WhatsApp address's number; zero when it has none (a short code, a name,
// whatsapp:<user id>).
func (p Phone) Number() Phone {
	raw := p.raw
	if IsWhatsApp(raw) {
		raw = raw[len(whatsAppPrefix):]
	}
	if e164Form.MatchString(raw) {
		return Phone{raw: raw}
	}
	return Phone{}
}

// WhatsAppAddress is a number's WhatsApp address (whatsapp:+12015550123).
func WhatsAppAddress(number Phone) Phone { return Phone{raw: whatsAppPrefix + number.raw} }

// senderToken is the letters and digits of s (at most tokenLetters), an
// underscore and a short hash of s exactly as given.
func senderToken(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= tokenLetters {
			break
		}
		if isLetterOrDigit(r) {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(s))
	b.WriteByte('_')
	b.WriteString(hex.EncodeToString(sum[:])[:tokenHash])
	return b.String()
}
