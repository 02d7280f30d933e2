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

// MediaInfo is what the chat says of an attachment: its content type
// ("image/png"; "image/*" for an image of unknown type) and size in bytes,
// below 0 when unknown.
type MediaInfo struct {
	ContentType string
	Size        int64
}

// whatsAppMediaRefusal refuses a reply to a WhatsApp address whose
// attachment is over WhatsApp's limits, where the chat gave its size, so
// Twilio is not called for a message it would fail (11751).
func whatsAppMediaRefusal(to Phone, media []MediaInfo) *replyRefusal {
	if !IsWhatsApp(to.Raw()) {
		return nil
	}
	for _, m := range media {
		if !WhatsAppMediaFits(m.ContentType, m.Size) {
			return &replyRefusal{code: CodeWhatsAppMediaTooLarge}
		}
	}
	return nil
}
