package bridge

// conversation is the channel a reminder goes to: the patient's SMS
// conversation, or their WhatsApp one for a whatsapp: address.
func (r *Reminders) conversation(rem Reminder, site reminderSite) Conversation {
	var c Conversation
	if IsWhatsApp(rem.To.Raw()) {
		c = NewWhatsAppConversation(rem.To, site.whatsAppFrom, "", site.loc.Admins)
	} else {
		c = NewConversation(rem.To, site.channelID, site.loc.Admins)
		if from := site.loc.FirstNumber(MediumSMS); from != "" {
			c.Fields[FieldClinicNumber] = from
		}
	}
	c.ChannelID = site.channelID
	c.Location = site.loc.ID
	c.Fields[FieldLocation] = site.loc.ID
	return c
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
