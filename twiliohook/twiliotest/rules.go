package twiliotest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// createRequest is the part of a CreateMessage form the fake acts on.
type createRequest struct {
	to, from, serviceSid, body, callback string
	scheduleType, sendAt, contentSid     string
	contentVariables                     string
	media                                []string
}

func parseCreate(form url.Values) createRequest {
	c := createRequest{
		to: form.Get("To"), from: form.Get("From"), serviceSid: form.Get("MessagingServiceSid"),
		body: form.Get("Body"), callback: form.Get("StatusCallback"),
		scheduleType: form.Get("ScheduleType"), sendAt: form.Get("SendAt"),
		contentSid: form.Get("ContentSid"), contentVariables: form.Get("ContentVariables"), media: form["MediaUrl"],
	}
	// Twilio takes a Messaging Service SID in From too (error 35118's documentation).
	if c.serviceSid == "" && serviceSidPattern.MatchString(c.from) {
		c.serviceSid, c.from = c.from, ""
	}
	return c
}

var (
	e164Pattern       = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	channelPattern    = regexp.MustCompile(`^[a-z]+:.+$`) // whatsapp:+1..., messenger:..., rcs:...
	shortCodePattern  = regexp.MustCompile(`^[0-9]{3,8}$`)
	alphaSenderID     = regexp.MustCompile(`^[A-Za-z0-9 ]{1,11}$`)
	hasLetter         = regexp.MustCompile(`[A-Za-z]`)
	serviceSidPattern = regexp.MustCompile(`^MG[0-9a-fA-F]{32}$`)
)

// Limits Twilio documents for CreateMessage.
const (
	maxBodyChars     = 1600                // error 21617
	minScheduleAhead = 15 * time.Minute    // error 35114: "between 15 minutes and 35 days"
	maxScheduleAhead = 35 * 24 * time.Hour // inclusive
	maxCallbackLen   = 4000                // error 21609
)

// errMisuse marks a request that Twilio would accept but not as the caller means it;
// the fake refuses it and reports it like a spec violation.
type errMisuse struct{ reason string }

// check applies Twilio's documented CreateMessage rules in the order Twilio reports them
// and returns the parsed SendAt. A *errMisuse result is a request Twilio would silently
// mishandle.
func (c createRequest) check(now time.Time) (time.Time, *Error, *errMisuse) {
	fail := func(code int, msg string) (time.Time, *Error, *errMisuse) {
		return time.Time{}, &Error{Code: code, Message: msg}, nil
	}
	switch {
	case c.to == "":
		return fail(codeToRequired, "")
	case c.from == "" && c.serviceSid == "":
		return fail(codeSenderRequired, "")
	case c.body == "" && len(c.media) == 0 && c.contentSid == "":
		return fail(codeBodyRequired, "")
	case utf8.RuneCountInString(c.body) > maxBodyChars:
		return fail(codeBodyTooLong, "")
	case !e164Pattern.MatchString(c.to) && !channelPattern.MatchString(c.to):
		return fail(codeInvalidTo, fmt.Sprintf("The 'To' number %s is not a valid phone number.", c.to))
	case c.from != "" && !validSender(c.from):
		return fail(codeInvalidFrom, "")
	case c.callback != "" && !validCallback(c.callback):
		return fail(codeInvalidCallback, "")
	}
	return c.checkSchedule(now)
}

// checkSchedule applies the Message Scheduling rules.
func (c createRequest) checkSchedule(now time.Time) (time.Time, *Error, *errMisuse) {
	fail := func(code int, msg string) (time.Time, *Error, *errMisuse) {
		return time.Time{}, &Error{Code: code, Message: msg}, nil
	}
	switch {
	case c.scheduleType == "" && c.sendAt == "":
		return time.Time{}, nil, nil
	case c.scheduleType == "":
		return time.Time{}, nil, &errMisuse{"SendAt without ScheduleType=fixed: Twilio does not schedule such a message"}
	case c.scheduleType != "fixed":
		return fail(codeScheduleTypeUnsupported, "")
	case c.sendAt == "":
		return fail(codeSendAtMissing, "")
	case c.serviceSid == "":
		return fail(codeSchedulingNeedsMGID, "")
	}
	sendAt, err := time.Parse(time.RFC3339, c.sendAt)
	ahead := sendAt.Sub(now)
	if err != nil || ahead < minScheduleAhead || ahead > maxScheduleAhead {
		return fail(codeSendAtOutOfRange, "SendAt time must be between 900 seconds and 35 days (3024000 seconds) in the future, inclusive.")
	}
	return sendAt, nil, nil
}

// validSender accepts what Twilio lets an account send from: an E.164 number, a short code,
// an alphanumeric sender ID, or a channel address.
func validSender(from string) bool {
	return e164Pattern.MatchString(from) || channelPattern.MatchString(from) ||
		shortCodePattern.MatchString(from) ||
		(alphaSenderID.MatchString(from) && hasLetter.MatchString(from))
}

// validCallback applies error 21609's conditions: an absolute http(s) URL with a hostname
// without underscores, at most 4000 characters.
func validCallback(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && len(raw) <= maxCallbackLen &&
		(u.Scheme == "http" || u.Scheme == "https") &&
		u.Hostname() != "" && !strings.Contains(u.Hostname(), "_")
}

// initialStatus is the status Twilio gives a new outbound message
// ("Outbound Message Status in Status Callbacks").
func (c createRequest) initialStatus() string {
	switch {
	case c.scheduleType != "":
		return "scheduled"
	case c.serviceSid != "":
		return "accepted"
	default:
		return "queued"
	}
}
