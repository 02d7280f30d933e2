package bridge

import (
	"fmt"
	"unicode"
)

// checkText refuses reminder text a phone would show wrongly or an attacker
// could use to disguise it: control characters (NUL, ESC, …) and the
// bidirectional override and isolate marks (U+202A–U+202E, U+2066–U+2069),
// which reorder what the patient sees. Newlines, carriage returns and tabs
// are ordinary in messages and stay allowed. The error names the character
// by its code point only, never quoting the text.
func checkText(text string) error {
	for i, r := range text {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			continue
		case unicode.IsControl(r):
			return invalidText(i, r, "a control character")
		case (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069'):
			return invalidText(i, r, "a bidirectional override mark")
		}
	}
	return nil
}

func invalidText(offset int, r rune, what string) error {
	return Errorf(ErrInvalid, "invalid_text", "The message text contains %s (%s at byte %d); remove it.",
		what, fmt.Sprintf("U+%04X", r), offset)
}
