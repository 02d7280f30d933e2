package streamhook_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// closedAddr is a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestAStartUpThatCannotReachStreamSaysWhyAndWhatToCheck(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler()) // speaks HTTP, not TLS
	defer plain.Close()
	selfSigned := httptest.NewTLSServer(http.NotFoundHandler()) // a certificate no one trusts
	defer selfSigned.Close()
	fake := streamtest.NewServer(streamtest.Options{APIKey: "key", APISecret: "the-right-secret"})
	defer fake.Close()
	for _, tc := range []struct {
		name, baseURL, secret string
		cause, check          string
	}{
		{"a host that does not resolve", "https://stream.invalid", "the-right-secret", "stream.invalid: cannot resolve", "STREAM_BASE_URL and this machine's DNS"},
		{"a port where nothing listens", "http://" + closedAddr(t), "the-right-secret", "connection refused", "STREAM_BASE_URL (host and port)"},
		{"https to a server that speaks http", "https://" + strings.TrimPrefix(plain.URL, "http://"), "the-right-secret", "TLS handshake failed", "scheme and host"},
		{"a certificate that does not verify", selfSigned.URL, "the-right-secret", "TLS handshake failed", "proxy that intercepts TLS"},
		{"the wrong secret", fake.URL(), "a-wrong-secret", "status 401", "STREAM_API_KEY and STREAM_API_SECRET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := stream.NewClient("key", tc.secret)
			if err != nil {
				t.Fatal(err)
			}
			c.BaseURL = tc.baseURL
			c.SetClient(&http.Client{Timeout: 5 * time.Second})
			err = streamhook.NewChat(c, "sms", nil).EnsureChannelType(t.Context())
			if err == nil {
				t.Fatal("EnsureChannelType succeeded")
			}
			if !strings.Contains(err.Error(), tc.cause) {
				t.Errorf("error = %q, want it to name %q", err, tc.cause)
			}
			if check := streamhook.Diagnose(err); !strings.Contains(check, tc.check) {
				t.Errorf("Diagnose = %q, want it to point at %q", check, tc.check)
			}
			if tc.cause != "status 401" && !errors.Is(err, bridge.ErrUnavailable) {
				t.Errorf("error = %v, want it to stay a transient failure (ErrUnavailable)", err)
			}
		})
	}
}
