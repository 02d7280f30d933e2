package streamtest

import (
	"fmt"
	"net/http"
)

// Stream error codes, from https://getstream.io/chat/docs/api_errors_response.
const (
	codeInternal       = -1
	codeInput          = 4
	codeAuth           = 5
	codeRateLimited    = 9
	codeNotFound       = 16
	codeMessageTooLong = 20
)

const moreInfo = "https://getstream.io/chat/docs/api_errors_response"

// apiError is Stream's error body (the APIError schema). Handlers return it
// as an error; the server writes it with its status.
type apiError struct {
	Code       int    `json:"code"`
	Message    string `json:"message"`
	StatusCode int    `json:"StatusCode"`
	Duration   string `json:"duration"`
	MoreInfo   string `json:"more_info"`
	Details    []int  `json:"details"`
}

func (e *apiError) Error() string { return e.Message }

func newAPIError(status, code int, message string) *apiError {
	return &apiError{Code: code, Message: message, StatusCode: status, MoreInfo: moreInfo, Details: []int{}}
}

// failed formats a message the way Stream does for an operation's errors:
// `SendMessage failed with error: "<reason>"`.
func failed(operationID, format string, args ...any) string {
	return fmt.Sprintf("%s failed with error: \"%s\"", operationID, fmt.Sprintf(format, args...))
}

func inputError(operationID, format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, codeInput, failed(operationID, format, args...))
}

func notFoundError(operationID, format string, args ...any) *apiError {
	return newAPIError(http.StatusNotFound, codeNotFound, failed(operationID, format, args...))
}

func authError(format string, args ...any) *apiError {
	return newAPIError(http.StatusUnauthorized, codeAuth, fmt.Sprintf(format, args...))
}

// defaultCode is the Stream code that goes with an HTTP status when a fault
// does not name one.
func defaultCode(status int) int {
	switch {
	case status == http.StatusTooManyRequests:
		return codeRateLimited
	case status == http.StatusUnauthorized:
		return codeAuth
	case status == http.StatusNotFound:
		return codeNotFound
	case status >= 500:
		return codeInternal
	default:
		return codeInput
	}
}
