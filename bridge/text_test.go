package bridge_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestInvisibleAndFormatCharactersAreRefusedNamingTheCodePoint(t *testing.T) {
	for _, tc := range []struct {
		name, text, codePoint string
	}{
		{"invalid UTF-8 is refused, not replaced", "See you \xff tomorrow", "at byte 8"},
		{"a truncated UTF-8 sequence is refused", "See you \xe2\x82", "at byte 8"},
		{"an Arabic letter mark", "See you\u061C tomorrow", "U+061C"},
		{"a zero-width space", "See\u200Byou", "U+200B"},
		{"a byte-order mark", "\uFEFFSee you", "U+FEFF"},
		{"a line separator", "See you\u2028tomorrow", "U+2028"},
		{"a paragraph separator", "See you\u2029tomorrow", "U+2029"},
		{"a word joiner", "See\u2060you", "U+2060"},
		{"a soft hyphen", "appoint\u00ADment", "U+00AD"},
		{"a left-to-right mark", "See you\u200E", "U+200E"},
		{"a tag character", "See you\U000E0041", "U+E0041"},
		{"a private-use character", "See you \uE000", "U+E000"},
		{"a zero-width joiner between spaces", "See \u200D you", "U+200D"},
		{"a zero-width joiner at the end", "See you\u200D", "U+200D"},
		{"a zero-width non-joiner after an emoji", "Hi 👋\u200C👋", "U+200C"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, sms := newReminders(true)
			_, err := r.Send(t.Context(), reminder(tc.text))
			var be *bridge.Error
			if !errors.As(err, &be) || be.Code != "invalid_text" || !strings.Contains(be.Message, tc.codePoint) {
				t.Errorf("err = %v, want invalid_text naming %s", err, tc.codePoint)
			}
			if len(sms.sent) != 0 {
				t.Error("sent")
			}
		})
	}
}

func TestEmojiSequencesScriptJoinersAndVariationSelectorsPass(t *testing.T) {
	for _, text := range []string{
		"Family: 👨\u200D👩\u200D👧",               // ZWJ between emoji
		"Doctor 👩🏽\u200D⚕\uFE0F is in",          // skin tone, ZWJ, variation selector
		"🏳\uFE0F\u200D🌈 Pride clinic",           // variation selector then ZWJ
		"❤\uFE0F See you",                       // an emoji presentation selector
		"می\u200Cخواهم",                         // ZWNJ in Persian
		"क्\u200Dष",                             // ZWJ in Devanagari
		"See you\ttomorrow,\r\nat 10 — ok? ½ €", // ordinary text
		"Replacement char \uFFFD typed as such",
	} {
		r, _, sms := newReminders(true)
		if _, err := r.Send(t.Context(), reminder(text)); err != nil || len(sms.sent) != 1 {
			t.Errorf("%+q: err = %v, %d sent; want it sent", text, err, len(sms.sent))
		}
	}
}

func TestABatchRowWithAnInvisibleCharacterIsRefusedAsTheAPIRefusesIt(t *testing.T) {
	b, _, sms := newBatch()
	for _, text := range []string{"See\u200Byou", "See you \xff"} {
		if res := b.Send(t.Context(), reminder(text)); res.Outcome != bridge.RowRefused || res.Code != "invalid_text" || len(sms.sent) != 0 {
			t.Errorf("%+q: %+v, %d sent; want refused invalid_text", text, res, len(sms.sent))
		}
	}
}
