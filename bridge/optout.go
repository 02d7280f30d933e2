package bridge

import "strings"

// Keywords that carriers and Twilio treat as opting out of, or back into,
// a sender's messages (Twilio's default opt-out management).
var (
	optOutKeywords = map[string]bool{"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true,
		"END": true, "QUIT": true, "REVOKE": true, "OPTOUT": true}
	optInKeywords = map[string]bool{"START": true, "UNSTOP": true, "YES": true}
)

// OptOutChange reports whether an inbound message changes the patient's
// opt-out state, and to what. Twilio's OptOutType, when present, decides;
// otherwise the whole body, trimmed and in any case, must be a keyword
// ("stop" opts out, "please stop texting" does not).
func OptOutChange(body, optOutType string) (optedOut, changed bool) {
	switch strings.ToUpper(optOutType) {
	case "STOP":
		return true, true
	case "START":
		return false, true
	}
	word := strings.ToUpper(strings.TrimSpace(body))
	word = strings.TrimRight(word, ".!")
	switch {
	case optOutKeywords[word]:
		return true, true
	case optInKeywords[word]:
		return false, true
	}
	return false, false
}
