package bridge

import (
	"net/url"
	"strings"
)

// Custom fields the bridge writes on Stream messages and channels
// (docs/contract.md §3). Everything the bridge writes carries FieldDirection;
// the Stream webhook relays only messages without it, which is what keeps a
// message from echoing back and forth.
const (
	FieldDirection = "sms_direction" // "inbound" or "outbound"
	FieldSID       = "sms_sid"       // Twilio MessageSid
	FieldStatus    = "sms_status"    // Twilio message status
	FieldErrorCode = "sms_error_code"
	FieldError     = "sms_error"     // plain-language reason, no PHI
	FieldOrigin    = "sms_origin"    // "reminder" for API reminders
	FieldPhone     = "sms_phone"     // channel: patient's E.164 number
	FieldOptedOut  = "sms_opted_out" // channel: patient sent STOP

	DirectionInbound  = "inbound"
	DirectionOutbound = "outbound"
	OriginReminder    = "reminder"
)

// The bridge's own sms_status values, beside the provider's (status.go).
// Neither is a provider status, so each reads as "not sent" and any status
// callback replaces it.
const (
	// StatusPending: a reminder or reply is in the chat but the SMS provider
	// has not accepted it yet (a reply: it will be tried again).
	StatusPending = "pending"
	// StatusUnconfirmed: the send failed without a refusal and was not found
	// in the provider's log, and no retry will follow: most likely not sent,
	// but a late status callback may still correct it.
	StatusUnconfirmed = "unconfirmed"
)

// InboundMessageID is the chat message id of an inbound SMS. It is derived
// from Twilio's MessageSid so that every retry, on any replica, names the
// same message and the chat stores it once.
func InboundMessageID(messageSid string) string { return "sms-" + messageSid }

// MaxTextLength is the longest SMS body Twilio accepts (1600 characters).
const MaxTextLength = 1600

// NormalizeAdminID turns an admin id as typed into the id used in Stream and
// ADMIN_USERS, as the tutorial did: spaces become "_", letters lower case
// ("Front Desk" -> "front_desk").
func NormalizeAdminID(id string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(id), " ", "_"))
}

// StatusCallbackOverrides are Twilio's connection overrides for status
// callbacks (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides):
// up to 5 retries, the most Twilio allows, when the bridge cannot be
// reached, does not answer in time or answers 5xx, all within Twilio's 15 s.
// Without them Twilio retries a callback only on a failed connection, so a
// status the bridge could not write (Stream at its rate limit, a replica
// going away) was never redelivered. Twilio neither sends nor signs the
// fragment.
const StatusCallbackOverrides = "#rc=5&rp=ct,rt,5xx"

// StatusCallbackURL is where Twilio reports a message's status changes. The
// chat message id travels in the (signed) URL, so the bridge needs no
// storage to find the message again; the fragment asks Twilio to redeliver
// a callback answered 503.
func StatusCallbackURL(publicURL, messageID string) string {
	return publicURL + "/twilio-status?mid=" + url.QueryEscape(messageID) + StatusCallbackOverrides
}
