package bridge

import (
	"slices"
	"strings"
)

// Keywords that carriers and Twilio treat as opting out of, or back into,
// a sender's messages (Twilio's default opt-out management). The docs'
// keyword tables are generated from these lists (docs/replies.md).
var (
	optOutList = []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
	optInList  = []string{"START", "UNSTOP", "YES"}

	optOutKeywords = set(optOutList)
	optInKeywords  = set(optInList)
)

// OptOutKeywords returns the opt-out keywords in the order the docs list them.
func OptOutKeywords() []string { return slices.Clone(optOutList) }

// OptInKeywords returns the keywords that opt a patient back in.
func OptInKeywords() []string { return slices.Clone(optInList) }

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

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
