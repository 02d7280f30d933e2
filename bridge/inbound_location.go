package bridge

import (
	"context"
	"fmt"
)

// inboundConversation is the conversation an inbound message belongs to.
type inboundConversation struct {
	loc       Location
	listed    bool   // the number texted (or its service) is a location's
	clinic    string // the clinic sender the patient wrote to
	channelID string
}

// route picks the message's location from the number texted (To), or from
// its Messaging Service when To is in no list; a message to a number no
// location lists goes to the first location, so nothing is lost. The
// clinic sender is To as Twilio wrote it, or, when Twilio gave none, the
// location's first sender of the medium.
func (in *Inbound) route(sms InboundSMS) inboundConversation {
	locs := in.locations()
	loc, listed := locs.Route(sms.To, sms.MessagingServiceSid)
	clinic := sms.To
	if clinic == "" {
		clinic = loc.FirstNumber(MediumOf(sms.From.Raw()))
	}
	return inboundConversation{loc: loc, listed: listed, clinic: clinic, channelID: locs.ChannelID(loc.ID, sms.From)}
}

// locations are the Inbound's locations, or without them the one location
// of every admin.
func (in *Inbound) locations() Locations {
	if len(in.Locations) > 0 {
		return in.Locations
	}
	return Locations{{ID: DefaultLocationID, Name: DefaultLocationID, Admins: in.Admins}}
}

// followClinicNumber keeps sms_clinic_number on the number the patient last
// wrote to, so the answer leaves from where they wrote. Only a conversation
// that can be texted on more than one number can change it: one whose
// location lists several of its medium, or one reached on an unlisted number. A WhatsApp
// message updates its channel anyway (the window), and carries the number
// in that update; an SMS reads the channel first (cached where the chat
// caches channels) and writes only a change, so a location with one number
// costs no call.
func (in *Inbound) followClinicNumber(ctx context.Context, sms InboundSMS, conv inboundConversation, outcome Outcome, set map[string]any) error {
	if outcome == OutcomeFirst || conv.clinic == "" || (conv.listed && conv.loc.senders(MediumOf(sms.From.Raw())) < 2) {
		return nil
	}
	if len(set) > 0 {
		set[FieldClinicNumber] = conv.clinic
		return nil
	}
	if !sms.ReceivedAt.IsZero() {
		return nil // restored from the log: older than what the channel says
	}
	state, err := in.Chat.ReadChannel(ctx, conv.channelID)
	if err != nil {
		return fmt.Errorf("read the clinic number of %s: %w", sms.MessageSid, err)
	}
	if state.ClinicNumber != conv.clinic {
		set[FieldClinicNumber] = conv.clinic
	}
	return nil
}
