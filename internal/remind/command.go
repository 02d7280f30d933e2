// Package remind is the `smsbridge remind` command: it sends a day's
// reminders from a CSV file, each row through the service's own reminder
// path (bridge.Batch over bridge.Reminders, as package app wires it), paced
// under Stream's and Twilio's limits. Progress goes to stderr, a summary by
// row number to stdout (a table, or JSON with --json). The exit code is 1
// when a row was refused or failed, 2 for a bad file, flags or
// configuration (docs/batch.md).
//
// It holds no reminder rules: what may be sent and how a row is kept from
// being sent twice are decided in bridge. It must not import the vendor
// adapters (twiliohook, streamhook) or their fakes; app does the wiring.
// Nothing it prints or logs holds a phone number or a message text.
package remind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/cli"
)

// Exit codes, as serve's: 2 is a usage, file or configuration error.
const (
	exitFailed = 1
	exitUsage  = 2
)

// defaultPerMinute paces rows at one a second: a US long code's throughput
// at Twilio, and well under Stream's tightest limit a row spends (Search,
// 300 a minute; docs/quotas.md).
const defaultPerMinute = 60

// options are the command's flags.
type options struct {
	file      string
	as        string
	dryRun    bool
	whenAllow bool
	json      bool
	perMinute int
	envFile   string
}

// Command describes `smsbridge remind` for its usage text.
var Command = cli.Command{Name: "remind",
	Summary: "Send a day's reminders from a CSV file (columns phoneNumber and messageText, or template and\n" +
		"its placeholders; optional sendAt, key and location), each as /send-reminder would. Safe to run again:\n" +
		"rows already sent are reported, not sent twice.",
	Examples: []string{"smsbridge remind --csv monday.csv", "smsbridge remind --csv monday.csv --as dr_lee --dry-run --json"}}

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
		fmt.Fprintf(stderr, "smsbridge remind: %v (%s)\n", err, config.Hint)
		return exitUsage
	}
	admin, err := author(cfg, o.as)
	if err != nil {
		return Command.Fail(stderr, err.Error())
	}
	rows, err := open(o.file)
	if err != nil {
		fmt.Fprintf(stderr, "smsbridge remind: %s: %v\n", o.file, err)
		return exitUsage
	}
	return send(ctx, cfg, o, admin, rows, stdout, stderr)
}

// send sends rows (or checks them, with --dry-run) and prints the summary.
func send(ctx context.Context, cfg config.Config, o options, admin string, rows []row, stdout, stderr io.Writer) int {
	log := app.NewLogger(cfg, stderr).With().Str("command", "remind").Logger()
	for _, w := range cfg.Warnings {
		log.Warn().Msg(w)
	}
	b, err := app.NewBatch(cfg, log)
	if err != nil {
		log.Error().Err(err).Msg("remind could not start")
		return exitFailed
	}
	run := newRun(b, o, admin, newProgress(stderr, log, len(rows)))
	log.Info().Int("rows", len(rows)).Bool("dry_run", o.dryRun).Str("admin_id", admin).Msg("remind started")
	sum := summarise(rows, run.all(ctx, rows), o.dryRun)
	logDone(log, sum)
	if err := writeSummary(stdout, sum, o.json); err != nil {
		log.Error().Err(err).Msg("summary not written")
		return exitFailed
	}
	if sum.Totals.Refused+sum.Totals.Failed > 0 {
		return exitFailed
	}
	return 0
}

// parseFlags reads the flags; done means stop now with code.
func parseFlags(args []string, stdout, stderr io.Writer) (o options, code int, done bool) {
	fs := Command.NewFlagSet()
	fs.StringVar(&o.file, "csv", "", "the CSV `file` to send")
	fs.StringVar(&o.as, "as", "", "the admin id the reminders are sent as (default: the first of ADMIN_USERS)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "check every row and report what would be sent; send and write nothing")
	fs.BoolVar(&o.whenAllow, "when-allowed", false, "schedule rows that fall inside quiet hours (QUIET_HOURS) for their end instead of refusing them")
	fs.BoolVar(&o.json, "json", false, "print the summary as JSON")
	fs.StringVar(&o.envFile, "env-file", "", config.EnvFileUsage)
	fs.IntVar(&o.perMinute, "per-minute", defaultPerMinute, "rows sent per minute at most (1-6000)")
	if code, done := Command.Parse(fs, args, stdout, stderr); done {
		return o, code, true
	}
	switch {
	case o.file == "":
		return o, Command.Fail(stderr, "--csv FILE is required"), true
	case o.perMinute < 1 || o.perMinute > 6000:
		return o, Command.Fail(stderr, "--per-minute must be between 1 and 6000"), true
	}
	return o, 0, false
}

// author is the admin the reminders are posted by: --as, which must be in
// ADMIN_USERS, or the first admin.
func author(cfg config.Config, as string) (string, error) {
	ids := cfg.AdminIDs()
	if as == "" {
		return ids[0], nil
	}
	id := bridge.NormalizeAdminID(as)
	if !slices.Contains(ids, id) {
		return "", fmt.Errorf("--as names no admin of ADMIN_USERS")
	}
	return id, nil
}

func open(path string) ([]row, error) {
	f, err := os.Open(path) // #nosec G304 -- the operator names the file to send
	if err != nil {
		return nil, fmt.Errorf("cannot open the file: %s", osReason(err))
	}
	defer f.Close()
	return readFile(f)
}

// osReason is the operating system's reason for a file error ("no such
// file or directory"), without the path the caller already prints.
func osReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func logDone(log zerolog.Logger, s summary) {
	ev := log.Info()
	if s.Totals.Refused+s.Totals.Failed > 0 {
		ev = log.Warn()
	}
	t := s.Totals
	ev.Int("rows", len(s.Rows)).Int("sent", t.Sent).Int("scheduled", t.Scheduled).Int("already_sent", t.AlreadySent).
		Int("refused", t.Refused).Int("failed", t.Failed).Bool("dry_run", s.DryRun).Msg("remind finished")
}
