package bridge

// ButtonAnswer reports the answer a WhatsApp quick-reply tap gives to a
// reminder. The button's id (ButtonPayload) is read first, as the template's
// author chose it; its title (ButtonText), which the patient saw, second.
// Both follow the C/R keywords' rule, so a "Confirm" button answers exactly
// as the text "C" does.
func ButtonAnswer(payload, text string) (answer string, ok bool) {
	if payload != "" {
		if answer, ok = ReplyKeyword(payload); ok {
			return answer, true
		}
	}
	if text != "" {
		return ReplyKeyword(text)
	}
	return "", false
}
