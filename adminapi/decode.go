package adminapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"os"

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
		return bridge.Errorf(bridge.ErrUnsupportedMedia, "unsupported_media_type", "Send the body as application/json.")
	}
	body := &readErrors{r: c.Request().Body}
	dec := json.NewDecoder(body)
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
	if body.err != nil {
		return bodyReadError(body.err)
	}
	return bridge.Errorf(bridge.ErrInvalid, "bad_json", "The body is not the JSON object this endpoint expects.")
}

// readErrors remembers the error reading the body itself failed with, which
// the JSON decoder would otherwise blur into "unexpected EOF".
type readErrors struct {
	r   io.Reader
	err error
}

func (b *readErrors) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
	}
	return n, err
}

// bodyReadError says whose fault a failed body read was: a body that did not
// arrive within the server's read timeout is 408, one the caller cut off is
// 400. Neither is a fault on smsbridge's side, so neither is a 5xx.
func bodyReadError(err error) error {
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return bridge.Errorf(bridge.ErrSlowRequest, "request_timeout", "The request body arrived too slowly; send it again.")
	}
	return bridge.Errorf(bridge.ErrInvalid, "aborted", "The request body was cut off before its end; send it again.")
}
