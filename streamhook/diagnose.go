package streamhook

import (
	"errors"
	"net/http"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/internal/netcause"
)

// networkCause names why a call got no answer from Stream, in the words
// every command uses (netcause); none of them quotes a request or its answer.
func networkCause(err error) string { return netcause.Kind(err) }

// Diagnose says what to check when a call to Stream keeps failing, for the
// start-up checks' log: the cause and the setting that usually explains it.
func Diagnose(err error) string {
	var w *wrapped
	if errors.As(err, &w) {
		return diagnoseStatus(w.se)
	}
	var se stream.Error
	if errors.As(err, &se) {
		return diagnoseStatus(se)
	}
	cause := networkCause(err)
	if u := (*unanswered)(nil); errors.As(err, &u) {
		cause = u.cause
	}
	switch cause {
	case "cannot resolve":
		return "the Stream host name does not resolve: check STREAM_BASE_URL and this machine's DNS"
	case "connection refused":
		return "nothing answers at the Stream address: check STREAM_BASE_URL (host and port)"
	case "TLS handshake failed":
		return "the TLS handshake with Stream failed: check STREAM_BASE_URL's scheme and host, and any proxy that intercepts TLS"
	case "timed out":
		return "Stream did not answer in time: check outbound network access (firewall, proxy) to STREAM_BASE_URL"
	}
	return "Stream cannot be reached: check STREAM_BASE_URL and outbound network access"
}

func diagnoseStatus(se stream.Error) string {
	switch {
	case se.StatusCode == http.StatusUnauthorized || se.StatusCode == http.StatusForbidden:
		return "Stream refused the credentials: check STREAM_API_KEY and STREAM_API_SECRET (the same app's pair)"
	case se.StatusCode == http.StatusTooManyRequests:
		return "Stream's rate limit is exhausted: it clears by itself; check other clients of the same app"
	case se.StatusCode >= 500:
		return "Stream answers with server errors: check Stream's status page"
	}
	return "Stream refused the call: check SMS_CHANNEL_TYPE and the app's settings"
}
