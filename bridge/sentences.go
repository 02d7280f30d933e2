package bridge

import "strconv"

// Twilio error codes with a meaning of their own for the bridge.
const (
	CodeOptedOut = 21610 // the recipient replied STOP
)

// invalidNumberCodes are refusals that mean the number itself is wrong.
var invalidNumberCodes = map[int]bool{21211: true, 21614: true, 21217: true, 21401: true, 21407: true}

// sentences are the plain-language reasons admins see in sms_error, by
// Twilio error code (https://www.twilio.com/docs/api/errors). They never
// name the patient or the number.
var sentences = map[int]string{
	21610: "The patient has opted out of text messages (replied STOP). They must text START before they can receive messages again.",
	21211: "The phone number is not a valid number.",
	21614: "The phone number cannot receive text messages (it is not a mobile number).",
	21408: "Text messages to this country are not enabled for the clinic's account.",
	21612: "Text messages cannot be sent to this number from the clinic's number.",
	30003: "The patient's phone is switched off or out of reach.",
	30004: "The message was blocked: the patient's number does not accept it.",
	30005: "The phone number is unknown or no longer in service.",
	30006: "The number is a landline or cannot receive text messages.",
	30007: "The patient's carrier filtered the message as spam.",
	30008: "The message could not be delivered for an unknown reason.",
}

// ErrorSentence returns the sentence for a Twilio error code, or a generic one.
func ErrorSentence(code int) string {
	if s, ok := sentences[code]; ok {
		return s
	}
	if code == 0 {
		return "The message could not be sent."
	}
	return "The message could not be sent (Twilio error " + strconv.Itoa(code) + ")."
}
