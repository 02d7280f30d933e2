package bridge

import (
	"strings"
	"time"
)

// WhatsApp's rules, the ones Twilio does not enforce for the bridge
// (docs/whatsapp.md): the medium of an address, the 24-hour window in which
// a business may answer free-form, and the error code a closed window ends
// with.
const (
	FieldMedium        = "sms_medium"          // channel: MediumSMS or MediumWhatsApp; missing means SMS
	FieldLastInboundAt = "sms_last_inbound_at" // channel: the patient's last message, RFC 3339 UTC

	MediumSMS      = "sms"
	MediumWhatsApp = "whatsapp"

	// whatsAppPrefix starts every WhatsApp address Twilio writes
	// (whatsapp:+12015550142, or whatsapp:<user id> with no number).
	whatsAppPrefix = "whatsapp:"

	// WhatsAppWindow is how long after the patient's last message a
	// business may still write free-form; later only a template may go.
	WhatsAppWindow = 24 * time.Hour

	// CodeWhatsAppWindowClosed is sms_error_code of a reply refused because
	// the window had closed, whether the bridge noticed before sending or
	// Twilio reported 63016 in the status callback: one cause, one code.
	CodeWhatsAppWindowClosed = "whatsapp_window_closed"
	// CodeWhatsAppTemplateRequired is the 409 a free-text reminder to a
	// WhatsApp patient outside the window (or who never wrote) gets.
	CodeWhatsAppTemplateRequired = "whatsapp_template_required"

	// TwilioWindowClosed is Twilio's error for a free-form WhatsApp message
	// outside the window; it arrives in the status callback, not the answer.
	TwilioWindowClosed = 63016
)

// whatsAppSentences are the reasons admins see for the window's refusals.
var whatsAppSentences = map[string]string{
	CodeWhatsAppWindowClosed: "WhatsApp allows free-form replies only within 24 hours of the patient's last message. " +
		"Send a template reminder instead; the patient's answer reopens the conversation.",
	CodeWhatsAppTemplateRequired: "This patient is on WhatsApp and has not written in the last 24 hours (or never has): " +
		"only an approved template can be sent. Choose a template with a WhatsApp version.",
	CodeWhatsAppMediaTooLarge: "The attachment is larger than WhatsApp accepts " +
		"(16 MB, or 5 MB for an image), so the message was not sent. Send a smaller file or a link.",
}

// WhatsAppSentence returns the admin's reason for one of the CodeWhatsApp* codes.
func WhatsAppSentence(code string) string { return whatsAppSentences[code] }

// MediumOf is the medium an address Twilio wrote belongs to.
func MediumOf(address string) string {
	if IsWhatsApp(address) {
		return MediumWhatsApp
	}
	return MediumSMS
}

// IsWhatsApp reports whether address is a WhatsApp address ("whatsapp:" in
// any case, as Twilio writes it lower case).
func IsWhatsApp(address string) bool {
	return len(address) >= len(whatsAppPrefix) && strings.EqualFold(address[:len(whatsAppPrefix)], whatsAppPrefix)
}

// ChannelMedium reads a channel's sms_medium: anything but "whatsapp",
// including a missing field (channels made before the field existed), is SMS.
func ChannelMedium(v any) string {
	if s, _ := v.(string); s == MediumWhatsApp {
		return MediumWhatsApp
	}
	return MediumSMS
}

// WindowOpen reports whether a free-form message may go to a WhatsApp
// patient at now: within WhatsAppWindow of their last message. A patient who
// never wrote (zero lastInbound) has no window. A lastInbound in the future
// (clocks of two replicas a little apart) counts as just now.
func WindowOpen(lastInbound, now time.Time) bool {
	if lastInbound.IsZero() {
		return false
	}
	return now.Sub(lastInbound) < WhatsAppWindow
}

// FormatLastInbound is sms_last_inbound_at's value for the time t.
func FormatLastInbound(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ParseLastInbound reads sms_last_inbound_at as stored on a channel; a
// missing or unreadable value is the zero time (no window).
func ParseLastInbound(v any) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// StatusErrorCode is the sms_error_code and sms_error a failed status
// callback stores: Twilio's number and sentence, except for a closed
// WhatsApp window, which is stored exactly as the bridge's own refusal.
func StatusErrorCode(code int) (any, string) {
	if code == TwilioWindowClosed {
		return CodeWhatsAppWindowClosed, whatsAppSentences[CodeWhatsAppWindowClosed]
	}
	return code, ErrorSentence(code)
}
