package netcause_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/netcause"
)

func TestUnreachableHostsReadAlikeAndNameOnlyTheHost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close() // accepts (the backlog) and never answers

	for _, tc := range []struct{ name, url, want string }{
		{"a name that does not resolve", "http://smsbridge-test.invalid/2010-04-01/Accounts?PhoneNumber=%2B12015550123", "smsbridge-test.invalid: cannot resolve"},
		{"a port nothing listens on", "http://" + closed + "/x?PhoneNumber=%2B12015550123", closed + ": connection refused"},
		{"a server that never answers", "http://" + silent.Addr().String() + "/x", silent.Addr().String() + ": timed out"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tc.url, nil)
		_, err := http.DefaultClient.Do(req)
		cancel()
		got := netcause.Describe(err)
		if got != tc.want || strings.Contains(got, "555") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
