package twiliotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Error is a Twilio REST error the fake answers with: HTTP status, Twilio error code and
// message. twilio-go decodes it into *client.TwilioRestError.
//
// Zero fields take defaults: Status 400, and the message Twilio documents for Code.
type Error struct {
	Status  int
	Code    int
	Message string
}

// Codes the fake uses, with Twilio's documented meaning (https://www.twilio.com/docs/api/errors/<code>).
const (
	codeUnknownParameters       = 20001 // "Unknown parameters"; also the fake's code for other spec violations
	codeAuthenticate            = 20003
	codeMethodNotAllowed        = 20004
	codeNotFound                = 20404
	codeTooManyRequests         = 20429
	codeInternal                = 20500
	codeUnavailable             = 20503
	codeInvalidTo               = 21211
	codeBodyRequired            = 21602
	codeSenderRequired          = 21603
	codeToRequired              = 21604
	codeInvalidFrom             = 21606
	codeInvalidCallback         = 21609
	codeBodyTooLong             = 21617
	codeSendAtMissing           = 35111
	codeSendAtOutOfRange        = 35114
	codeSchedulingNeedsMGID     = 35118
	codeScheduleTypeUnsupported = 35126
)

// defaultMessages holds Twilio's wording for the codes the fake produces or tests commonly script.
var defaultMessages = map[int]string{
	codeUnknownParameters: "Unknown parameters",
	codeAuthenticate:      "Authenticate",
	codeMethodNotAllowed:  "Method not allowed",
	codeNotFound:          "The requested resource was not found",
	codeTooManyRequests:   "Too Many Requests",
	codeInternal:          "Internal Server Error",
	codeUnavailable:       "Service Unavailable",
	codeInvalidTo:         "Invalid 'To' Phone Number",
	codeBodyRequired:      "Message body is required.",
	codeSenderRequired:    "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
	codeToRequired:        "A 'To' phone number is required.",
	codeInvalidFrom:       "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
	codeInvalidCallback:   "Invalid 'StatusCallback'",
	21610:                 "Attempt to send to unsubscribed recipient",
	21612:                 "The 'To' phone number is not currently reachable via SMS.",
	21614:                 "'To' number is not a valid mobile number",
	codeBodyTooLong:       "The concatenated message body exceeds the 1600 character limit.",
	30003:                 "Unreachable destination handset",
	30004:                 "Message blocked",
	30005:                 "Unknown destination handset",
	30006:                 "Landline or unreachable carrier",
	30007:                 "Message filtered",
	30008:                 "Unknown error",
	codeOutsideWindow: "Failed to send freeform message because you are outside the allowed window. " +
		"If you are using WhatsApp, please use a Message Template.",
	codeInvalidContent:          "The ContentSid is Invalid",
	codeInvalidVariables:        "The ContentVariables Parameter is invalid",
	codeSendAtMissing:           "SendAt timestamp is missing",
	codeSendAtOutOfRange:        "Scheduling does not support this timestamp",
	codeSchedulingNeedsMGID:     "MessagingServiceSid is required to schedule a message",
	codeScheduleTypeUnsupported: "The ScheduleType value provided is not supported for this channel",
}

// messageFor returns Twilio's wording for code, or a generic one.
func messageFor(code int) string {
	if m, ok := defaultMessages[code]; ok {
		return m
	}
	return "Error " + strconv.Itoa(code)
}

// codeForStatus picks the Twilio code a bare HTTP status would carry.
func codeForStatus(status int) int {
	switch {
	case status == http.StatusTooManyRequests:
		return codeTooManyRequests
	case status == http.StatusServiceUnavailable:
		return codeUnavailable
	case status == http.StatusNotFound:
		return codeNotFound
	case status == http.StatusUnauthorized:
		return codeAuthenticate
	case status >= 500:
		return codeInternal
	default:
		return codeUnknownParameters
	}
}

// withDefaults fills the zero fields of e.
func (e Error) withDefaults() Error {
	if e.Status == 0 {
		e.Status = http.StatusBadRequest
	}
	if e.Code == 0 {
		e.Code = codeForStatus(e.Status)
	}
	if e.Message == "" {
		e.Message = messageFor(e.Code)
	}
	return e
}

// restError is Twilio's error body, as twilio-go's client.TwilioRestError decodes it.
type restError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// writeError answers with Twilio's error JSON.
func writeError(w http.ResponseWriter, e Error) {
	e = e.withDefaults()
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	}
	writeJSON(w, e.Status, restError{
		Code:     e.Code,
		Message:  e.Message,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", e.Code),
		Status:   e.Status,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
