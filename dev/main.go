package dev

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Exit codes, as the other subcommands use them.
const (
	exitFailure = 1
	exitUsage   = 2
)

// readyWithin bounds the wait for the service's start-up checks, which
// against in-process simulators take milliseconds.
const readyWithin = 15 * time.Second

// Main is `smsbridge dev`: it starts the sandbox, prints the console's URL
// and the admin login, and serves until SIGTERM or Ctrl-C. Logs go to
// stdout as serve's do; the banner, meant for the person, to stderr, so a
// log collector never stores the one-time password.
func Main(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("smsbridge dev", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on (0.0.0.0:8080 inside a container)")
	logFormat := fl.String("log-format", "console", "log format: console or json")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if *logFormat != "console" && *logFormat != "json" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "smsbridge dev: usage: smsbridge dev [-addr host:port] [-log-format console|json]")
		return exitUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "smsbridge dev: cannot listen:", err)
		return exitFailure
	}
	if _, err := PublicURL(ln.Addr()); err != nil {
		_ = ln.Close()
		fmt.Fprintln(stderr, "smsbridge dev:", err)
		return exitUsage
	}
	sb, err := Start(ln, Options{Logs: stdout, LogFormat: *logFormat})
	if err != nil {
		_ = ln.Close()
		fmt.Fprintln(stderr, "smsbridge dev:", err)
		return exitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return run(ctx, sb, ln.Addr(), stderr)
}

// run serves sb, prints the banner once the service is ready, and waits.
func run(ctx context.Context, sb *Sandbox, addr net.Addr, stderr io.Writer) int {
	errc := make(chan error, 1)
	go func() { errc <- sb.Serve(ctx) }()
	deadline := time.Now().Add(readyWithin)
	for !sb.Ready() && time.Now().Before(deadline) {
		select {
		case err := <-errc:
			fmt.Fprintln(stderr, "smsbridge dev: stopped before it was ready:", err)
			return exitFailure
		case <-time.After(20 * time.Millisecond):
		}
	}
	banner(stderr, sb, addr)
	if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "smsbridge dev: stopped with an error:", err)
		return exitFailure
	}
	return 0
}

// banner tells the person, loudly, that this is a sandbox, and how to use it.
func banner(w io.Writer, sb *Sandbox, addr net.Addr) {
	rule := strings.Repeat("=", 78)
	fmt.Fprintf(w, "\n%s\n", rule)
	fmt.Fprintln(w, "  SANDBOX: smsbridge against SIMULATED Stream and Twilio.")
	fmt.Fprintln(w, "  No account is used, no real SMS is sent, and everything is gone when it stops.")
	fmt.Fprintf(w, "%s\n", rule)
	fmt.Fprintf(w, "  Console:   %s/\n", sb.URL)
	fmt.Fprintf(w, "  Admin:     %s\n", sb.AdminID)
	fmt.Fprintf(w, "  Password:  %s   (one-time: a new one at every start)\n", sb.AdminPassword)
	fmt.Fprintf(w, "  API:       %s/admin-login, %s/send-reminder (as serve's)\n", sb.URL, sb.URL)
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		fmt.Fprintf(w, "  WARNING:   listening on every interface (%s): anyone who can reach this\n", addr)
		fmt.Fprintln(w, "             port can use the console. Publish it to 127.0.0.1 only.")
	}
	fmt.Fprintln(w, "  Stop:      Ctrl-C")
	fmt.Fprintf(w, "%s\n\n", rule)
}
