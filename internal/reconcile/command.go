// Package reconcile is the `smsbridge reconcile` command. It reads the
// flags, runs bridge.Reconciler as package app wires it, logs progress and
// each repair to stderr (zerolog, like the service) and prints a summary on
// stdout: a table, or JSON with --json. The exit code is 1 when anything
// failed, 2 for bad flags or configuration.
//
// It holds no relay rules: what is restored, and how, is decided in bridge.
// It must not import the vendor adapters (twiliohook, streamhook) or their
// fakes; app does the wiring. Like everything else it never prints a message
// body or a phone number: the summary names messages by their sids.
package reconcile

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/cli"
)

// Exit codes, as serve's: 2 is a usage or configuration error.
const (
	exitFailed = 1
	exitUsage  = 2
)

// progressEvery is how often, in messages, progress is logged.
const progressEvery = 25

// options are the command's flags.
type options struct {
	since    time.Duration
	dryRun   bool
	json     bool
	pageSize int
	envFile  string
}

// Main runs the command until it is done or SIGTERM/SIGINT arrives, and
// returns the exit code. args excludes the command name.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := cli.SignalContext()
	defer stop()
	return Run(ctx, args, stdout, stderr)
}

// Run is Main with the caller's context.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code, done := parseFlags(args, stdout, stderr)
	if done {
		return code
	}
	cfg, err := config.LoadFile(o.envFile)
	if err != nil {
		fmt.Fprintf(stderr, "smsbridge reconcile: %v (%s)\n", err, config.Hint)
		return exitUsage
	}
	log := app.NewLogger(cfg, stderr).With().Str("command", "reconcile").Logger()
	for _, w := range cfg.Warnings {
		log.Warn().Msg(w)
	}
	r, err := app.NewReconciler(cfg, log, app.ReconcileOptions{DryRun: o.dryRun, PageSize: o.pageSize})
	if err != nil {
		log.Error().Err(err).Msg("reconcile could not start")
		return exitFailed
	}
	r.Observe = observer(log)
	since := time.Now().Add(-o.since).UTC().Truncate(time.Second)
	log.Info().Time("since", since).Bool("dry_run", o.dryRun).Msg("reconcile started")
	rep := r.Run(ctx, since)
	logDone(log, rep)
	if err := writeSummary(stdout, rep, o.json); err != nil {
		log.Error().Err(err).Msg("summary not written")
		return exitFailed
	}
	if rep.Failed > 0 {
		return exitFailed
	}
	return 0
}

// Command describes `smsbridge reconcile` for its usage text.
var Command = cli.Command{Name: "reconcile",
	Summary: "Repair from Twilio's message log what webhooks lost during an outage: inbound SMS missing\n" +
		"from the chat are restored, stale delivery statuses updated, replies left pending marked\n" +
		"unconfirmed. Safe to run again.",
	Examples: []string{"smsbridge reconcile --since 24h", "smsbridge reconcile --since 6h --dry-run --json"}}

// parseFlags reads the flags; done means stop now with code (after -h, or a
// mistake already reported on one line).
func parseFlags(args []string, stdout, stderr io.Writer) (o options, code int, done bool) {
	fs := Command.NewFlagSet()
	cli.DurationVar(fs, &o.since, "since", 24*time.Hour, "how far back to look in Twilio's message log, a `duration` such as 2h or 72h")
	fs.BoolVar(&o.dryRun, "dry-run", false, "report what would be repaired, change nothing")
	fs.BoolVar(&o.json, "json", false, "print the summary as JSON")
	fs.StringVar(&o.envFile, "env-file", "", config.EnvFileUsage)
	fs.IntVar(&o.pageSize, "page-size", 1000, "messages per Twilio list page (1-1000)")
	if code, done := Command.Parse(fs, args, stdout, stderr); done {
		return o, code, true
	}
	switch {
	case o.since <= 0:
		return o, Command.Fail(stderr, "--since must be a positive duration such as 24h"), true
	case o.pageSize < 1 || o.pageSize > 1000:
		return o, Command.Fail(stderr, "--page-size must be between 1 and 1000"), true
	}
	return o, 0, false
}

// observer logs each message's outcome: repairs at info, failures at warn,
// the rest at debug, and progress every progressEvery messages. Only sids,
// chat message ids, actions, statuses and error kinds are logged.
func observer(log zerolog.Logger) func(bridge.ReconcileItem, int, int) {
	return func(it bridge.ReconcileItem, done, total int) {
		ev := log.Debug()
		switch it.Action {
		case bridge.ActionRestore, bridge.ActionSetStatus, bridge.ActionUnconfirmed:
			ev = log.Info()
		case bridge.ActionFailed:
			ev = log.Warn().Err(it.Err)
		}
		if it.Status != "" {
			ev = ev.Str("status", it.Status)
		}
		ev.Str("message_sid", it.Sid).Str("stream_message_id", it.MessageID).Str("action", string(it.Action)).Msg("reconciled")
		if done%progressEvery == 0 || done == total {
			log.Info().Int("done", done).Int("total", total).Msg("reconcile progress")
		}
	}
}

func logDone(log zerolog.Logger, rep bridge.ReconcileReport) {
	ev := log.Info()
	if rep.Failed > 0 {
		ev = log.Warn()
	}
	for _, it := range rep.Items {
		if it.Action == bridge.ActionFailed && it.Sid == "" {
			ev = ev.AnErr("error", it.Err) // the log listing itself failed
		}
	}
	ev.Int("checked", rep.Checked).Int("already_present", rep.AlreadyPresent).Int("restored", rep.Restored).
		Int("statuses_updated", rep.StatusesUpdated).Int("unconfirmed", rep.Unconfirmed).Int("failed", rep.Failed).Bool("dry_run", rep.DryRun).
		Msg("reconcile finished")
}
