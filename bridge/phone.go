package bridge

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone holds a sender or recipient address: an E.164 number (+12015550123)
// or, for senders Twilio delivers that are not numbers (short codes,
// whatsapp:, alphanumeric ids), the address as Twilio gave it.
//
// Its String, GoString and MarshalText are redacted, so neither %v nor a
// JSON or log encoder can leak a number. Only Raw returns the full value.
type Phone struct{ raw string }

// Raw returns the full address. Use it only where a vendor API needs it.
func (p Phone) Raw() string { return p.raw }

// IsZero reports whether p holds no address.
func (p Phone) IsZero() bool { return p.raw == "" }

// String returns the redacted form: the country code of an E.164 number and
// its last two digits (+1•••••••23), or the last two characters otherwise.
func (p Phone) String() string { return redact(p.raw) }

// GoString keeps %#v redacted too.
func (p Phone) GoString() string { return redact(p.raw) }

// MarshalText keeps encoders (JSON, zerolog) redacted.
func (p Phone) MarshalText() ([]byte, error) { return []byte(redact(p.raw)), nil }

func redact(s string) string {
	if len(s) <= 2 {
		return strings.Repeat("•", len(s))
	}
	prefix := countryPrefix(s)
	return prefix + strings.Repeat("•", len(s)-len(prefix)-2) + s[len(s)-2:]
}

// countryPrefix returns "+CC" when s starts with a known country calling
// code followed by at least four more characters, else "".
func countryPrefix(s string) string {
	if !strings.HasPrefix(s, "+") {
		return ""
	}
	for n := 1; n <= 3 && len(s) > n+5; n++ {
		cc, err := strconv.Atoi(s[1 : n+1])
		if err != nil {
			return ""
		}
		if phonenumbers.GetRegionCodeForCountryCode(cc) != phonenumbers.UNKNOWN_REGION {
			return s[:n+1]
		}
	}
	return ""
}

// ParsePhone reads a number a person typed, in any common notation; without
// +country it is read in region (ISO 3166 code such as "US"). Only numbers
// that libphonenumber holds valid are accepted: typed numbers are where
// mistakes happen, and Twilio would charge for a message it cannot deliver.
func ParsePhone(input, region string) (Phone, error) {
	if strings.IndexFunc(input, notPhoneNotation) >= 0 {
		// libphonenumber reads leniently ("whatsapp:+1...", letters, line
		// breaks); a typed number has none of that.
		return Phone{}, Errorf(ErrInvalid, "invalid_phone", "The phone number is not a valid number.")
	}
	num, err := phonenumbers.Parse(input, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return Phone{}, Errorf(ErrInvalid, "invalid_phone", "The phone number is not a valid number.")
	}
	return Phone{raw: phonenumbers.Format(num, phonenumbers.E164)}, nil
}

// notPhoneNotation reports characters no common phone notation uses.
func notPhoneNotation(r rune) bool {
	return !(r >= '0' && r <= '9' || strings.ContainsRune(" +-.()/\u00a0", r))
}

// SenderPhone wraps an address Twilio delivered as a message's From. It is
// never refused for its format: no inbound message is lost to a parsing rule.
func SenderPhone(from string) Phone { return Phone{raw: strings.TrimSpace(from)} }

// PhoneFromChannel is the address of a patient channel: "+" and its id.
func PhoneFromChannel(channelID string) Phone { return Phone{raw: "+" + channelID} }

// DisplayName is the number in international format ("+1 201-555-0123"), or
// the address as given when it is not a number.
func (p Phone) DisplayName() string {
	if !strings.HasPrefix(p.raw, "+") {
		return p.raw
	}
	num, err := phonenumbers.Parse(p.raw, "")
	if err != nil {
		return p.raw
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
