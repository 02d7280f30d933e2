package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
)

// ErrorBody is the JSON shape of every error answer (docs/contract.md §4).
type ErrorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	// NextAllowedAt (RFC 3339) comes with quiet_hours and
	// send_at_quiet_hours: the first time outside the patient's quiet hours.
	NextAllowedAt string `json:"nextAllowedAt,omitempty"`
}

// StatusClientClosed is the status recorded for a request whose caller went
// away before the answer.
const StatusClientClosed = 499

// kinds maps each bridge error kind to its status and the answer given when
// the error carries no *bridge.Error of its own.
var kinds = []struct {
	kind    error
	status  int
	code    string
	message string
}{
	{bridge.ErrInvalid, http.StatusBadRequest, "invalid_request", "The request is not valid."},
	{bridge.ErrUnsupportedMedia, http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the body as application/json."},
	{bridge.ErrSlowRequest, http.StatusRequestTimeout, "request_timeout", "The request body arrived too slowly; send it again."},
	// 499 is nginx's "client closed request": no one reads the answer, but
	// the request log and the status counts keep these apart from 5xx.
	{bridge.ErrCallerGone, StatusClientClosed, "client_closed", "The caller closed the connection before the answer."},
	{bridge.ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated", "Authentication failed."},
	{bridge.ErrForbidden, http.StatusForbidden, "forbidden", "The request signature is not valid."},
	{bridge.ErrNotFound, http.StatusNotFound, "not_found", "Not found."},
	{bridge.ErrOptedOut, http.StatusConflict, "opted_out", "The patient has opted out of SMS."},
	{bridge.ErrQuietHours, http.StatusConflict, "quiet_hours", "It is quiet hours for the patient; nothing was sent."},
	{bridge.ErrConflict, http.StatusConflict, "conflict", "The same request is being handled; try again in a moment."},
	{bridge.ErrUnprocessable, http.StatusUnprocessableEntity, "unprocessable", "The request contradicts an earlier one."},
	{bridge.ErrRateLimited, http.StatusTooManyRequests, "rate_limited", "Too many attempts; try again later."},
	{bridge.ErrUpstream, http.StatusBadGateway, "upstream_error", "The SMS or chat service refused the request."},
	{bridge.ErrUnavailable, http.StatusServiceUnavailable, "unavailable", "The SMS or chat service is unavailable; try again."},
}

// ToStatus returns the HTTP status and JSON body for err. It is the only place
// where errors become statuses.
func ToStatus(err error) (int, ErrorBody) {
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return http.StatusRequestEntityTooLarge, ErrorBody{Error: "The request body is too large.", Code: "too_large"}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code, ErrorBody{Error: httpErrorMessage(he), Code: httpErrorCode(he.Code)}
	}
	for _, k := range kinds {
		if !errors.Is(err, k.kind) {
			continue
		}
		body := ErrorBody{Error: k.message, Code: k.code}
		var be *bridge.Error
		if errors.As(err, &be) {
			if be.Message != "" {
				body.Error = be.Message
			}
			if be.Code != "" {
				body.Code = be.Code
			}
			if !be.NextAllowedAt.IsZero() {
				body.NextAllowedAt = be.NextAllowedAt.UTC().Format(time.RFC3339)
			}
		}
		return k.status, body
	}
	return http.StatusInternalServerError, ErrorBody{Error: "Something went wrong on our side.", Code: "internal"}
}

func httpErrorCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusBadRequest:
		return "invalid_request"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	}
	return "http_" + strconv.Itoa(status)
}

func httpErrorMessage(he *echo.HTTPError) string {
	if he.Code == http.StatusNotFound {
		return "No such route."
	}
	return http.StatusText(he.Code) + "."
}

// ErrorHandler writes err as JSON with the status ToStatus gives, sets
// Retry-After when the error asks for it, and logs server-side failures. It
// is the echo instance's HTTPErrorHandler.
func ErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := ToStatus(err)
	var be *bridge.Error
	if errors.As(err, &be) && be.RetryAfter > 0 {
		secs := int(be.RetryAfter.Seconds() + 0.999)
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if status >= 500 {
		// Error strings are built by smsbridge from sids and codes only;
		// adapters never wrap vendor error texts, which may quote numbers.
		zerolog.Ctx(c.Request().Context()).Warn().Err(err).Int("status", status).Msg("request failed")
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, body)
}
