// Command smsbridge relays SMS between patients (Twilio) and a clinic's chat
// dashboard (Stream). See README.md.
//
// `smsbridge help` lists the subcommands (commands.go); `smsbridge help CMD`
// or `smsbridge CMD -h` shows one's flags.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/cli"
	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// version, when set at build time with -ldflags "-X main.version=v1.2.3",
// replaces the module version of the build info (version.go).
var version string

// sandboxCommand is how to run the sandbox from a checkout; builds without
// the sandbox tag print it for `smsbridge dev`.
const sandboxCommand = config.SandboxCommand

// Exit codes: 2 is a configuration or usage error (docs/contract.md §2).
const (
	exitFailure = 1
	exitConfig  = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

var serveCommand = cli.Command{Name: "serve", Summary: "Run the service (the default when no command is given)."}

func serve(args []string, stdout, stderr io.Writer) int {
	fs := serveCommand.NewFlagSet()
	envFile := fs.String("env-file", "", config.EnvFileUsage)
	if code, done := serveCommand.Parse(fs, args, stdout, stderr); done {
		return code
	}
	cfg, err := config.LoadFile(*envFile)
	if err != nil {
		fmt.Fprintf(stderr, "smsbridge: %v (%s)\n", err, config.Hint)
		return exitConfig
	}
	log := app.NewLogger(cfg, stdout)
	for _, w := range cfg.Warnings {
		log.Warn().Msg(w)
	}
	a, err := app.New(cfg, log)
	if err != nil {
		log.Error().Err(err).Msg("start-up failed")
		return exitFailure
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.ListenHost, strconv.Itoa(cfg.Port)))
	if err != nil {
		log.Error().Err(err).Msg("listen failed")
		return exitFailure
	}
	ctx, stop := cli.SignalContext()
	defer stop()
	log.Info().Str("version", versionString()).Msg("starting")
	if err := a.Serve(ctx, ln); err != nil {
		log.Error().Err(err).Msg("server stopped with an error")
		return exitFailure
	}
	log.Info().Msg("stopped")
	return 0
}

func healthcheck(_, stderr io.Writer) int {
	c := &http.Client{Timeout: deadlines.Healthcheck}
	resp, err := c.Get("http://127.0.0.1:" + config.Port() + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return exitFailure
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "healthcheck: status", resp.StatusCode)
		return exitFailure
	}
	return 0
}
