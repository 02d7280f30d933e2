package bridge

// conversation is the channel a reminder goes to: the patient's SMS
// conversation, or their WhatsApp one for a whatsapp: address.
func (r *Reminders) conversation(rem Reminder, channelID string) Conversation {
	if IsWhatsApp(rem.To.Raw()) {
		return NewWhatsAppConversation(rem.To, r.WhatsAppFrom, "", r.Admins)
	}
	return NewConversation(rem.To, channelID, r.Admins)
}

// whatsAppRule refuses a free-text reminder WhatsApp would not deliver:
// outside the 24-hour window, and always to a patient who never wrote, only
// an approved template may go (409 whatsapp_template_required). It is
// checked after the opt-out, which comes first.
func (r *Reminders) whatsAppRule(rem Reminder, state ChannelState) error {
	if !IsWhatsApp(rem.To.Raw()) || rem.ContentSid != "" {
		return nil
	}
	at := r.now()
	if !rem.SendAt.IsZero() {
		at = rem.SendAt
	}
	if WindowOpen(state.LastInboundAt, at) {
		return nil
	}
	return Errorf(ErrConflict, CodeWhatsAppTemplateRequired, "%s", WhatsAppSentence(CodeWhatsAppTemplateRequired))
}

// quietNumber is the number whose time zones quiet hours follow: a WhatsApp
// address's number.
func quietNumber(to Phone) Phone {
	if n := to.Number(); !n.IsZero() {
		return n
	}
	return to
}
