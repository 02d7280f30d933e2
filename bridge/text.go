package bridge

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Joiners: allowed only where they join (allowedJoiner).
const (
	zwnj = '\u200C' // zero-width non-joiner: Persian and Indic orthography
	zwj  = '\u200D' // zero-width joiner: emoji sequences (👩‍⚕️), Indic conjuncts
)

// checkText refuses reminder text a phone would show wrongly or an attacker
// could use to disguise it (docs/reminders.md lists them):
//   - bytes that are not UTF-8 (never replaced with U+FFFD and sent);
//   - control characters (Cc: NUL, ESC, …) but newline, carriage return, tab;
//   - format characters (Cf): zero-width and invisible ones (U+200B, U+2060,
//     U+FEFF, U+00AD…), the direction marks, overrides and isolates
//     (U+061C, U+200E–F, U+202A–E, U+2066–9) and tag characters
//     (U+E0000–E007F), except a joiner that joins (allowedJoiner);
//   - the line and paragraph separators (Zl, Zp: U+2028, U+2029);
//   - private-use characters (Co), which phones show as boxes.
//
// Variation selectors (U+FE00–FE0F, U+E0100–E01EF) are marks, not format
// characters, and pass. The error names the character by its code point
// only, never quoting the text.
func checkText(text string) error {
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			return InvalidUTF8(i)
		}
		if what := refusedChar(r); what != "" && !allowedJoiner(r, prev, text[i+size:]) {
			return invalidText(i, r, what)
		}
		prev = r
		i += size
	}
	return nil
}

// refusedChar says what r is when reminder text may not hold it.
func refusedChar(r rune) string {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		return ""
	case unicode.Is(unicode.Cc, r):
		return "a control character"
	case r == '\u061C' || r == '\u200E' || r == '\u200F' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069'):
		return "a bidirectional mark"
	case r >= 0xE0000 && r <= 0xE007F:
		return "a tag character"
	case unicode.Is(unicode.Cf, r):
		return "an invisible format character"
	case unicode.In(r, unicode.Zl, unicode.Zp):
		return "a line or paragraph separator"
	case unicode.Is(unicode.Co, r):
		return "a private-use character"
	}
	return ""
}

// allowedJoiner reports whether r is a joiner doing its job: ZWJ or ZWNJ
// between two letters or marks (a script's joining), or ZWJ after an emoji
// (a symbol, a skin tone or a variation selector) and before another.
func allowedJoiner(r, prev rune, rest string) bool {
	if r != zwj && r != zwnj {
		return false
	}
	next, _ := utf8.DecodeRuneInString(rest)
	letterish := func(r rune) bool { return unicode.In(r, unicode.L, unicode.M) }
	if letterish(prev) && letterish(next) && !isVariationSelector(prev) {
		return true
	}
	emoji := func(r rune) bool { return unicode.In(r, unicode.So, unicode.Sk) || isVariationSelector(r) }
	return r == zwj && emoji(prev) && unicode.Is(unicode.So, next)
}

func isVariationSelector(r rune) bool {
	return (r >= '\uFE00' && r <= '\uFE0F') || (r >= 0xE0100 && r <= 0xE01EF)
}

// InvalidUTF8 is the refusal of reminder text that is not UTF-8, at byte
// offset of the text (negative: unknown). Adapters whose decoders would
// replace such bytes (JSON) refuse with it before decoding.
func InvalidUTF8(offset int) error {
	if offset < 0 {
		return Errorf(ErrInvalid, "invalid_text", "The message text is not valid UTF-8; send it as UTF-8.")
	}
	return Errorf(ErrInvalid, "invalid_text", "The message text is not valid UTF-8 (at byte %d); send it as UTF-8.", offset)
}

func invalidText(offset int, r rune, what string) error {
	return Errorf(ErrInvalid, "invalid_text", "The message text contains %s (%s at byte %d); remove it.",
		what, fmt.Sprintf("U+%04X", r), offset)
}
