package streamhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"

	stream "github.com/GetStream/stream-chat-go/v6"
)

// networkCause names why a call got no answer from Stream, in words an
// operator can act on. None of them quotes a request or its answer.
func networkCause(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &dnsErr):
		return "DNS lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &certErr), errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr), errors.As(err, &recordErr),
		// net/http turns a RecordHeaderError into this plain error.
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "TLS handshake failed"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return "timed out"
	}
	return "no answer"
}

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
	case "DNS lookup failed":
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
