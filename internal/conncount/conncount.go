// Package conncount counts the TCP connections an http.Server accepts, so
// load benchmarks can prove that clients' keep-alive pools are reused. The
// test fakes of both vendors use it. It imports no smsbridge package.
package conncount

import (
	"net"
	"net/http"
	"sync/atomic"
)

// Counter counts accepted connections. Set Track as the server's ConnState
// hook before it starts.
type Counter struct{ n atomic.Int64 }

// Track is an http.Server ConnState hook.
func (c *Counter) Track(_ net.Conn, st http.ConnState) {
	if st == http.StateNew {
		c.n.Add(1)
	}
}

// Accepted returns how many connections were accepted so far.
func (c *Counter) Accepted() int64 { return c.n.Load() }
