// Command smsbridge relays SMS between patients (Twilio) and a clinic's chat
// dashboard (Stream). See README.md.
//
// Usage:
//
//	smsbridge [serve]       run the service
//	smsbridge healthcheck   exit 0 when the local /healthz answers 200
//	smsbridge hash-password read a password from stdin, print its bcrypt hash for ADMIN_USERS
//	smsbridge dev           a sandbox: simulated Stream and Twilio and a web console (builds with -tags sandbox only)
//	smsbridge reconcile     repair from Twilio's log what webhooks lost (see package reconcile)
//	smsbridge version       print the version
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/smsbridge/smsbridge/app"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/deadlines"
	"github.com/smsbridge/smsbridge/reconcile"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// sandboxCommand is how to run the sandbox from a checkout; builds without
// the sandbox tag print it for `smsbridge dev`.
const sandboxCommand = "go run -tags sandbox ./cmd/smsbridge dev"

// Exit codes: 2 is a configuration or usage error (docs/contract.md §2).
const (
	exitFailure = 1
	exitConfig  = 2
)

func main() {
	cmd := "serve"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	switch cmd {
	case "serve":
		os.Exit(serve())
	case "healthcheck":
		os.Exit(healthcheck())
	case "hash-password":
		os.Exit(hashPassword(os.Stdin, os.Stdout, os.Stderr))
	case "dev":
		os.Exit(sandbox(os.Args[2:], os.Stdout, os.Stderr))
	case "reconcile":
		os.Exit(reconcile.Main(os.Args[2:], os.Stdout, os.Stderr))
	case "version", "--version", "-v":
		fmt.Println(versionString())
	default:
		fmt.Fprintf(os.Stderr, "smsbridge: unknown command %q (serve, dev, healthcheck, hash-password, reconcile, version)\n", cmd)
		os.Exit(exitConfig)
	}
}

func serve() int {
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "smsbridge:", err)
		return exitConfig
	}
	log := app.NewLogger(cfg, os.Stdout)
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
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	log.Info().Str("version", version).Msg("starting")
	if err := a.Serve(ctx, ln); err != nil {
		log.Error().Err(err).Msg("server stopped with an error")
		return exitFailure
	}
	log.Info().Msg("stopped")
	return 0
}

func healthcheck() int {
	c := &http.Client{Timeout: deadlines.Healthcheck}
	resp, err := c.Get("http://127.0.0.1:" + config.Port() + "/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return exitFailure
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "healthcheck: status", resp.StatusCode)
		return exitFailure
	}
	return 0
}

func versionString() string {
	goVersion := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
	}
	return fmt.Sprintf("smsbridge %s (%s)", version, goVersion)
}
