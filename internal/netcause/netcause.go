// Package netcause says why a call to Twilio or Stream got no answer, in the
// words every command uses: the host, then "cannot resolve", "connection
// refused", "timed out", "TLS handshake failed", "connection reset" or "no
// answer". It names the host only, never a path or a query (Twilio's list
// calls carry phone numbers there). It imports the standard library only.
package netcause

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Kind is the reason alone ("cannot resolve", ...); Describe adds the host.
func Kind(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &dnsErr):
		return "cannot resolve"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &certErr), errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr), errors.As(err, &recordErr),
		// net/http turns a RecordHeaderError into this plain error.
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "TLS handshake failed"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	}
	return "no answer"
}

// Describe is "HOST: KIND", e.g. "chat.stream-io-api.com: cannot resolve",
// or KIND alone when err names no host.
func Describe(err error) string {
	if host := Host(err); host != "" {
		return host + ": " + Kind(err)
	}
	return Kind(err)
}

// Host is the host (and port, when given) err's request went to, or "".
func Host(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Host
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Name
	}
	return ""
}

// Of is how every command says a vendor did not answer: "Stream at
// chat.stream-io-api.com: cannot resolve", or "Twilio: timed out" when err
// names no host.
func Of(vendor string, err error) string { return Phrase(vendor, Host(err), Kind(err)) }

// Phrase is Of with the host and the kind already known.
func Phrase(vendor, host, kind string) string {
	if host == "" {
		return vendor + ": " + kind
	}
	return vendor + " at " + host + ": " + kind
}
