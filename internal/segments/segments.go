// Package segments counts how many SMS segments a text costs, as carriers
// count them (3GPP TS 23.038 and 23.040): GSM-7 when every character is in
// the GSM 03.38 default alphabet or its extension table, UCS-2 otherwise.
// Twilio bills per segment, so the dashboard shows this before sending.
//
// It must import only the standard library.
package segments

import "unicode/utf16"

// Encodings, as the API names them.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Segment sizes: one segment holds 160 septets or 70 UTF-16 units; a split
// message spends 7 septets (6 octets) per segment on the concatenation
// header, leaving 153 or 67.
const (
	gsmSingle, gsmMulti = 160, 153
	ucsSingle, ucsMulti = 70, 67
)

// basic is the GSM 03.38 default alphabet (one septet each).
const basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// extension is the GSM 03.38 extension table: an escape septet and the
// character, so two septets each.
const extension = "\f^{}\\[~]|€"

var septets = func() map[rune]int {
	m := make(map[rune]int, len(basic)+len(extension))
	for _, r := range basic {
		m[r] = 1
	}
	for _, r := range extension {
		m[r] = 2
	}
	return m
}()

// Count is what a text costs.
type Count struct {
	// Characters is the text's length in the encoding's units, as a
	// carrier counts it: septets for GSM-7 (an extension character is 2),
	// UTF-16 code units for UCS-2 (an emoji outside the BMP is 2).
	Characters int
	Segments   int
	Encoding   string // GSM7 or UCS2
}

// Of counts text. An empty text is one segment (Twilio still sends, and
// bills, a message). A character taking two units (an escape pair, a
// surrogate pair) is never split across segments, as phones could not
// reassemble it, so a segment may carry one unit less.
func Of(text string) Count {
	units, ok := gsmUnits(text)
	single, multi, enc := gsmSingle, gsmMulti, GSM7
	if !ok {
		units = ucsUnits(text)
		single, multi, enc = ucsSingle, ucsMulti, UCS2
	}
	total := 0
	for _, u := range units {
		total += u
	}
	c := Count{Characters: total, Segments: 1, Encoding: enc}
	if total <= single {
		return c
	}
	c.Segments = pack(units, multi)
	return c
}

// gsmUnits gives each character's septets; ok is false when a character is
// not in GSM-7, which makes the whole text UCS-2.
func gsmUnits(text string) (units []int, ok bool) {
	for _, r := range text {
		n, found := septets[r]
		if !found {
			return nil, false
		}
		units = append(units, n)
	}
	return units, true
}

func ucsUnits(text string) []int {
	var units []int
	for _, r := range text {
		units = append(units, len(utf16.Encode([]rune{r})))
	}
	return units
}

// pack fills segments of size characters in order and returns how many it
// takes.
func pack(units []int, size int) int {
	segments, used := 1, 0
	for _, u := range units {
		if used+u > size {
			segments, used = segments+1, 0
		}
		used += u
	}
	return segments
}
