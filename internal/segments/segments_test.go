package segments_test

import (
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/internal/segments"
)

func TestSegmentsAreCountedAsCarriersCountThemAtTheBoundaries(t *testing.T) {
	a, euro, e, emoji := "a", "€", "é", "😀"
	rep := strings.Repeat
	for _, tc := range []struct {
		name, text string
		want       segments.Count
	}{
		{"an empty text is one GSM-7 segment", "", segments.Count{0, 1, "GSM-7"}},
		{"160 GSM-7 characters fit in one segment", rep(a, 160), segments.Count{160, 1, "GSM-7"}},
		{"161 GSM-7 characters take two segments", rep(a, 161), segments.Count{161, 2, "GSM-7"}},
		{"306 GSM-7 characters fit in two segments of 153", rep(a, 306), segments.Count{306, 2, "GSM-7"}},
		{"307 GSM-7 characters take three segments", rep(a, 307), segments.Count{307, 3, "GSM-7"}},
		{"the accented letters of the default alphabet stay GSM-7", rep(e, 160), segments.Count{160, 1, "GSM-7"}},
		{"newlines and the alphabet's symbols stay GSM-7", "Hi @ £5 ¿Ñ?\nΔ_ §", segments.Count{16, 1, "GSM-7"}},
		{"80 euro signs count 160 and fit in one segment", rep(euro, 80), segments.Count{160, 1, "GSM-7"}},
		{"81 euro signs count 162 and take two segments", rep(euro, 81), segments.Count{162, 2, "GSM-7"}},
		{"159 letters and a brace count 161 and take two segments", rep(a, 159) + "{", segments.Count{161, 2, "GSM-7"}},
		{"every extension character counts two", "^{}\\[~]|€\f", segments.Count{20, 1, "GSM-7"}},
		{"an extension character is never split across segments", rep(a, 152) + euro + rep(a, 152),
			segments.Count{306, 3, "GSM-7"}},
		{"70 UCS-2 characters fit in one segment", "ő" + rep(a, 69), segments.Count{70, 1, "UCS-2"}},
		{"71 UCS-2 characters take two segments", "ő" + rep(a, 70), segments.Count{71, 2, "UCS-2"}},
		{"134 UCS-2 characters fit in two segments of 67", "ő" + rep(a, 133), segments.Count{134, 2, "UCS-2"}},
		{"135 UCS-2 characters take three segments", "ő" + rep(a, 134), segments.Count{135, 3, "UCS-2"}},
		{"one character outside GSM-7 makes the whole text UCS-2", rep(a, 100) + "’", segments.Count{101, 2, "UCS-2"}},
		{"35 emoji are 70 UTF-16 units, one segment", rep(emoji, 35), segments.Count{70, 1, "UCS-2"}},
		{"36 emoji are 72 UTF-16 units, two segments", rep(emoji, 36), segments.Count{72, 2, "UCS-2"}},
		{"an emoji is never split across segments", rep(a, 66) + emoji + rep(a, 66), segments.Count{134, 3, "UCS-2"}},
		{"a euro sign in a UCS-2 text counts one", "ő" + rep(euro, 69), segments.Count{70, 1, "UCS-2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := segments.Of(tc.text); got != tc.want {
				t.Errorf("Of = %+v, want %+v", got, tc.want)
			}
		})
	}
}
