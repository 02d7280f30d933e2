package dev

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/cli"
)

// Exit codes, as the other subcommands use them.
const (
	exitFailure = 1
	exitUsage   = 2
)

// readyWithin bounds the wait for the service's start-up checks, which
// against in-process simulators take milliseconds.
const readyWithin = 15 * time.Second

// Command describes `smsbridge dev` for its usage text.
var Command = cli.Command{Name: "dev",
	Summary: "Run the sandbox: the real bridge against simulated Stream and Twilio, with a web console.\n" +
		"No account is used and nothing is kept. A dashboard on another origin can log in and send\n" +
		"reminders through the API with -cors-origin; its chat connects to the simulated Stream client API\n" +
		"that the login answer names (streamBaseUrl).",
	Examples: []string{"smsbridge dev", "smsbridge dev -addr 127.0.0.1:9090 -cors-origin http://localhost:3000"}}

// Main is `smsbridge dev`: it starts the sandbox, prints the console's URL
// and the admin login, and serves until SIGTERM or Ctrl-C. Logs go to
// stdout as serve's do; the banner, meant for the person, to stderr, so a
// log collector never stores the admin password.
func Main(args []string, stdout, stderr io.Writer) int {
	fl := Command.NewFlagSet()
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on (0.0.0.0:8080 inside a container)")
	logFormat := fl.String("log-format", "console", "log format: console or json")
	var origins cli.StringList
	fl.Var(&origins, "cors-origin", "a dashboard's origin allowed to call the API from a browser, e.g. http://localhost:3000 (repeatable)")
	if code, done := Command.Parse(fl, args, stdout, stderr); done {
		return code
	}
	if *logFormat != "console" && *logFormat != "json" {
		return Command.Fail(stderr, "-log-format must be console or json")
	}
	for _, o := range origins {
		if config.CheckOrigin(o) != nil {
			return Command.Fail(stderr, fmt.Sprintf("-cors-origin %q is not an origin such as http://localhost:3000", o))
		}
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
	sb, err := Start(ln, Options{Logs: stdout, LogFormat: *logFormat, CORSOrigins: origins})
	if err != nil {
		_ = ln.Close()
		fmt.Fprintln(stderr, "smsbridge dev:", err)
		return exitFailure
	}
	ctx, stop := cli.SignalContext()
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
	checks, err := sb.Doctor(ctx)
	banner(stderr, sb, addr, func(w io.Writer) { doctorLines(w, checks, err) })
	if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "smsbridge dev: stopped with an error:", err)
		return exitFailure
	}
	return 0
}

// dashboardOrigin is where examples/dashboard's `npm start` serves it, and
// dashboardAPI the smsbridge its build calls unless SMSBRIDGE_URL says
// otherwise (examples/dashboard/build.mjs).
const (
	dashboardOrigin = "http://127.0.0.1:5173"
	dashboardAPI    = "http://127.0.0.1:8080"
)

// dashboardLines say how to open examples/dashboard against this sandbox:
// the command to run, and the -cors-origin it needs when it is missing.
func dashboardLines(w io.Writer, sb *Sandbox) {
	cmd := "npm start"
	if sb.URL != dashboardAPI {
		cmd = "SMSBRIDGE_URL=" + sb.URL + " npm start"
	}
	fmt.Fprintf(w, "  Dashboard: %s/ (examples/dashboard; docs/dashboard.md), after\n", dashboardOrigin)
	fmt.Fprintf(w, "             cd examples/dashboard && npm ci && %s\n", cmd)
	if !slices.Contains(sb.cfg.CORSAllowedOrigins, dashboardOrigin) {
		fmt.Fprintf(w, "             (it needs dev started with -cors-origin %s)\n", dashboardOrigin)
	}
}

// banner tells the person, loudly, that this is a sandbox, and how to use it;
// doctorLines writes what `smsbridge doctor` found in the simulators.
func banner(w io.Writer, sb *Sandbox, addr net.Addr, doctorLines func(io.Writer)) {
	rule := strings.Repeat("=", 78)
	fmt.Fprintf(w, "\n%s\n", rule)
	fmt.Fprintln(w, "  SANDBOX: smsbridge against SIMULATED Stream and Twilio.")
	fmt.Fprintln(w, "  No account is used, no real SMS is sent, and everything is gone when it stops.")
	fmt.Fprintf(w, "%s\n", rule)
	fmt.Fprintf(w, "  Console:   %s/\n", sb.URL)
	fmt.Fprintf(w, "  Admin:     %s\n", sb.AdminID)
	fmt.Fprintf(w, "  Password:  %s   (logs in until the sandbox stops; a new one at every start)\n", sb.AdminPassword)
	fmt.Fprintf(w, "  API:       %s/admin-login, %s/send-reminder (as serve's)\n", sb.URL, sb.URL)
	fmt.Fprintf(w, "  Stream:    %s (simulated client API: the login answer's streamBaseUrl, for setBaseURL)\n", sb.StreamBaseURL)
	dashboardLines(w, sb)
	fmt.Fprintf(w, "  Settings:  %s\n", sb.EnvFile)
	fmt.Fprintln(w, "             (smsbridge remind, reconcile and doctor run against the sandbox with -env-file FILE)")
	if len(sb.cfg.CORSAllowedOrigins) > 0 {
		fmt.Fprintf(w, "  CORS:      %s may call the API from a browser\n", strings.Join(sb.cfg.CORSAllowedOrigins, ", "))
	} else {
		fmt.Fprintln(w, "  CORS:      none; a dashboard on another origin needs -cors-origin URL")
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		fmt.Fprintf(w, "  WARNING:   listening on every interface (%s): anyone who can reach this\n", addr)
		fmt.Fprintln(w, "             port can use the console. Publish it to 127.0.0.1 only.")
	}
	doctorLines(w)
	fmt.Fprintln(w, "  Stop:      Ctrl-C")
	fmt.Fprintf(w, "%s\n\n", rule)
}
