package bridge

import "time"

// FieldAddress is a WhatsApp conversation's channel field holding the
// patient's WhatsApp address, as Twilio writes it (docs/contract.md §3).
const FieldAddress = "sms_address"

// NewWhatsAppConversation describes a WhatsApp conversation: its own
// channel (wa_...), apart from the patient's SMS one. The channel is named
// from the patient's WhatsApp profile name (never logged); sms_phone is the
// patient's E.164 number, empty for an address without one. The patient
// user is the phone number's, named as on SMS; an address without a number
// is a user of its own, named from the profile name.
func NewWhatsAppConversation(from Phone, clinic, profileName string, admins []string) Conversation {
	number := from.Number()
	name := profileName
	if name == "" {
		name = from.DisplayName()
		if !number.IsZero() {
			name = number.DisplayName()
		}
	}
	userName := name
	if !number.IsZero() {
		userName = number.DisplayName()
	}
	c := Conversation{
		ChannelID: from.ChannelID(),
		Patient:   User{ID: from.UserID(), Name: userName, Role: "user"},
		Admins:    admins,
		CreatedBy: from.UserID(),
		Fields: map[string]any{
			"name":            name,
			FieldMedium:       MediumWhatsApp,
			FieldPhone:        number.Raw(),
			FieldAddress:      from.Raw(),
			FieldClinicNumber: clinic,
			FieldOptedOut:     false,
		},
	}
	if len(admins) > 0 {
		c.CreatedBy = admins[0]
	}
	return c
}

// windowRefresh is the channel update that keeps a WhatsApp conversation's
// window: every message from the patient (a text, a button tap, STOP or
// START) moves sms_last_inbound_at, which every replica reads from the
// channel. A channel created by this message has it already; SMS channels
// have no window, so their messages cost no extra call.
func (in *Inbound) windowRefresh(sms InboundSMS, outcome Outcome) map[string]any {
	set := map[string]any{}
	// A message restored from the provider's log (ReceivedAt set) is older
	// than the channel's own record may be: it never moves the window.
	if IsWhatsApp(sms.From.Raw()) && outcome != OutcomeFirst && sms.ReceivedAt.IsZero() {
		set[FieldLastInboundAt] = FormatLastInbound(in.now())
	}
	return set
}

// inboundAnswer is the answer a message gives a reminder: a WhatsApp
// button tap's payload or title, else the C/R keywords of its text.
func inboundAnswer(sms InboundSMS) (string, bool) {
	if answer, ok := ButtonAnswer(sms.ButtonPayload, sms.ButtonText); ok {
		return answer, true
	}
	return ReplyKeyword(sms.Body)
}

func (in *Inbound) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

// ChannelStateFrom reads the bridge's fields from a channel's custom data,
// as the chat stores them; a field of another type counts as absent.
func ChannelStateFrom(custom map[string]any) ChannelState {
	var state ChannelState
	state.OptedOut, _ = custom[FieldOptedOut].(bool)
	if phone, ok := custom[FieldPhone].(string); ok && phone != "" {
		state.Phone = SenderPhone(phone)
	}
	state.Medium = ChannelMedium(custom[FieldMedium])
	state.ClinicNumber, _ = custom[FieldClinicNumber].(string)
	state.Location, _ = custom[FieldLocation].(string)
	if state.Medium == MediumWhatsApp {
		if a, ok := custom[FieldAddress].(string); ok {
			state.Address = SenderPhone(a)
		}
		state.LastInboundAt = ParseLastInbound(custom[FieldLastInboundAt])
	}
	return state
}

// whatsAppDestination is where a reply in a WhatsApp conversation goes: the
// patient's address, as Twilio wrote it. An opted-out patient is refused
// first (the bridge honours STOP itself on WhatsApp); then a reply outside
// the 24-hour window, before any Twilio call, since Twilio would accept it
// and fail it with 63016.
func whatsAppDestination(ch ChannelState, now time.Time) (Phone, *replyRefusal) {
	to := ch.Address
	if to.IsZero() && !ch.Phone.IsZero() {
		to = WhatsAppAddress(ch.Phone)
	}
	switch {
	case ch.OptedOut:
		return to, &replyRefusal{code: CodeReplyOptedOut}
	case to.IsZero():
		return to, &replyRefusal{code: CodeReplyNotPossible}
	case !WindowOpen(ch.LastInboundAt, now):
		return to, &replyRefusal{code: CodeWhatsAppWindowClosed}
	}
	return to, nil
}
