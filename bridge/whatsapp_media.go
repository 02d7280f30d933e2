package bridge

import (
	"strings"
)

// WhatsApp's media limits (Twilio error 11751): 16 MB a message, 5 MB for
// an image. Sizes are bytes.
const (
	WhatsAppMaxMedia = 16 << 20
	WhatsAppMaxImage = 5 << 20
)

// CodeWhatsAppMediaTooLarge is sms_error_code of a reply whose attachment is
// over WhatsApp's limit: refused before Twilio is called.
const CodeWhatsAppMediaTooLarge = "whatsapp_media_too_large"

// WhatsAppMediaFits reports whether an attachment of size bytes with that
// content type may go over WhatsApp. A size below 0 is unknown and passes:
// Twilio then decides.
func WhatsAppMediaFits(contentType string, size int64) bool {
	switch {
	case size < 0:
		return true
	case strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "image/"):
		return size <= WhatsAppMaxImage
	}
	return size <= WhatsAppMaxMedia
}
