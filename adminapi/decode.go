package adminapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/smsbridge/smsbridge/bridge"
)

// decodeJSON reads the request body, which must be one JSON object sent as
// application/json, into v. Unknown fields are ignored (dashboards may send
// more than is used). A body over the route's cap keeps its
// *http.MaxBytesError, which becomes 413.
func decodeJSON(c echo.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return bridge.Errorf(bridge.ErrInvalid, "unsupported_media_type", "Send the body as application/json.")
	}
	dec := json.NewDecoder(c.Request().Body)
	err = dec.Decode(v)
	if err == nil {
		// One object and nothing after it.
		if _, err = dec.Token(); errors.Is(err, io.EOF) {
			return nil
		}
		if err == nil {
			err = errors.New("trailing data")
		}
	}
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return mbe
	}
	return bridge.Errorf(bridge.ErrInvalid, "bad_json", "The body is not the JSON object this endpoint expects.")
}
