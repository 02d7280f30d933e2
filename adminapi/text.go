package adminapi

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/smsbridge/smsbridge/bridge"
)

// decodeText is decodeJSON for a body that carries reminder text
// (/send-reminder, /sms-preview). encoding/json replaces bytes that are not
// UTF-8, and escaped lone surrogates (\ud800), with U+FFFD, so the text the
// bridge checks would no longer show them: the raw body is checked here,
// and such a body refused with the bridge's invalid_text.
func decodeText(c echo.Context, v any) error {
	var raw bytes.Buffer
	req := c.Request()
	req.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(req.Body, &raw), req.Body}
	if err := decodeJSON(c, v); err != nil {
		return err
	}
	if !utf8.Valid(raw.Bytes()) || hasLoneSurrogate(raw.Bytes()) {
		return bridge.InvalidUTF8(-1)
	}
	return nil
}

// hasLoneSurrogate reports whether a JSON document holds a \u escape of a
// surrogate that is not half of a pair. Backslashes occur only in strings.
func hasLoneSurrogate(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if i+1 >= len(b) || b[i+1] != 'u' {
			i++ // an escaped character: \\ cannot start an escape
			continue
		}
		v, ok := escapedUnit(b, i)
		switch {
		case !ok:
		case v >= 0xD800 && v <= 0xDBFF:
			if low, ok := escapedUnit(b, i+6); !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 6
		case v >= 0xDC00 && v <= 0xDFFF:
			return true
		}
		i += 5
	}
	return false
}

// escapedUnit reads the \uXXXX escape at b[i:].
func escapedUnit(b []byte, i int) (uint64, bool) {
	if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
	return v, err == nil
}
