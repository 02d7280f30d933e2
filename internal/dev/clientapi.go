package dev

import (
	"fmt"
	"net"

	"github.com/smsbridge/smsbridge/internal/streamclient"
)

// legacyRewritePort is the port stream-chat 4 and later rewrite to 8800
// for the WebSocket; the client API must not be on it.
const legacyRewritePort = 3030

// startClientAPI serves the simulated Stream client API (what a browser's
// stream-chat talks to) on its own port of the sandbox's host, sharing the
// server-side simulator's state, and makes every login answer name it as
// streamBaseUrl. It has its own server: its WebSockets live longer than
// the service's write timeout allows a request.
func (sb *Sandbox) startClientAPI(key, secret string) error {
	host, _, err := net.SplitHostPort(sb.ln.Addr().String())
	if err != nil {
		return err
	}
	var ln net.Listener
	for range 3 {
		if ln, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
			return fmt.Errorf("stream client API: %w", err)
		}
		if ln.Addr().(*net.TCPAddr).Port != legacyRewritePort {
			break
		}
		_ = ln.Close()
	}
	base, err := PublicURL(ln.Addr())
	if err != nil {
		_ = ln.Close()
		return err
	}
	sb.clientAPI = streamclient.New(ln, streamclient.Options{Stream: sb.stream, APIKey: key, APISecret: secret})
	sb.StreamBaseURL = base
	sb.app.AdvertiseStreamBaseURL(base)
	sb.cleanups = append(sb.cleanups, sb.clientAPI.Close)
	return nil
}
